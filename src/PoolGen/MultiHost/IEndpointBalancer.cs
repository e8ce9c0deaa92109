using System;

namespace PoolGen;

/// <summary>
/// Chooses, for one rent, among the endpoints a multi-host pool may use for it. Implement it to plug in a strategy of
/// your own; PoolGen has <see cref="RoundRobinBalancer"/> (the default), <see cref="LeastConnectionsBalancer"/>,
/// <see cref="WeightedBalancer"/> and <see cref="AdaptiveBalancer"/>.
/// </summary>
/// <remarks>
/// <see cref="Choose"/> runs on every rent, concurrently from many threads, so keep it short, lock-free and free of
/// allocations. It never sees an offline endpoint or one of the wrong role: the pool has filtered them out already.
/// </remarks>
public interface IEndpointBalancer
{
    /// <summary>
    /// What the pool must measure for this balancer: <see cref="EndpointState.InFlight"/>, latency and failure rate cost
    /// every rent something, so a balancer asks only for what it reads. By default nothing.
    /// </summary>
    BalancerInputs Inputs => BalancerInputs.None;

    /// <summary>Returns the index, within <paramref name="candidates"/>, of the endpoint this rent should use.</summary>
    /// <param name="candidates">The online endpoints of the roles the workload may use; never empty.</param>
    /// <param name="workload">The rent's workload.</param>
    int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload);
}
