using System;

namespace PoolGen;

/// <summary>
/// What a balancer reads besides the endpoints' roles and weights. Each input costs the rents something (an atomic
/// count, a clock read), so a multi-host pool measures only what its balancer asks for.
/// </summary>
[Flags]
public enum BalancerInputs
{
    /// <summary>Nothing measured per rent: round-robin and weighted need no more.</summary>
    None = 0,

    /// <summary><see cref="EndpointState.InFlight"/>: an atomic increment per rent and a decrement per return.</summary>
    InFlight = 1,

    /// <summary>
    /// <see cref="EndpointState.LatencyMs"/> and <see cref="EndpointState.FailureRate"/>: a clock read per rent and per
    /// return, besides <see cref="InFlight"/>, which is always counted with them.
    /// </summary>
    Latency = 2,
}
