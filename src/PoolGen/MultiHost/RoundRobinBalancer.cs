using System;

namespace PoolGen;

/// <summary>
/// Takes the candidates in turn: the default, and the right choice when the endpoints are alike. The turn is a plain
/// counter, not an atomic one: two rents at the same instant may take the same turn, which skews nothing over many
/// rents and keeps an atomic instruction off every rent.
/// </summary>
public sealed class RoundRobinBalancer : IEndpointBalancer
{
    private uint _next;

    /// <inheritdoc/>
    public int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload)
    {
        if (candidates.Length == 1)
        {
            return 0;
        }

        uint turn = _next++;
        return (int)(turn % (uint)candidates.Length);
    }
}
