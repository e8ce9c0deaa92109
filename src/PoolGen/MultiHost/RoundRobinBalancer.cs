using System;
using System.Threading;

namespace PoolGen;

/// <summary>Takes the candidates in turn: the default, and the right choice when the endpoints are alike.</summary>
public sealed class RoundRobinBalancer : IEndpointBalancer
{
    private uint _next;

    /// <inheritdoc/>
    public int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload) =>
        candidates.Length == 1 ? 0 : (int)(Interlocked.Increment(ref _next) % (uint)candidates.Length);
}
