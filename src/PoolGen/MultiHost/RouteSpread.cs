using System;
using System.Runtime.CompilerServices;

namespace PoolGen;

/// <summary>
/// A multi-host pool's fast routes: per workload, the endpoint engine whose turn it is. The turns themselves are a ring
/// kept in the engines (each knows, per workload, the engine after it), so passing the turn on reads a line the rent
/// loads anyway and writes one entry here: no counter, index or balancer call. The pool relinks the ring on every route
/// table change; a workload with no engine here takes the slow path.
/// </summary>
/// <remarks>
/// Links and entries are written one at a time while rents read them, and a rent passes the turn with a plain write.
/// A rent during a relink may take an engine of the old table, or write one back here, as a rent that read the table
/// just before the change would; the rent after it follows that engine's new link into the new ring, so a stale entry
/// lasts one rent. Two rents at one instant may take the same turn, as with <see cref="RoundRobinBalancer"/>.
/// </remarks>
internal struct RouteSpread
{
    /// <summary>How many workloads there are.</summary>
    public const int Workloads = (int)Workload.HighPriority + 1;

    private PerWorkload _current;

    /// <summary>The engine whose turn it is in <paramref name="workload"/>'s route, or null for the slow path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly object? Current(Workload workload) => (uint)workload < Workloads ? _current[(int)workload] : null;

    /// <summary>Passes <paramref name="workload"/>'s turn to <paramref name="next"/>, the link of the engine that had it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Pass(Workload workload, object? next) => _current[(int)workload] = next;

    /// <summary>
    /// Links <paramref name="candidates"/> into <paramref name="workload"/>'s ring, in order; no candidates take the
    /// workload off the fast route. Engines outside the ring link to its first member, so a turn left with one of them
    /// finds its way back.
    /// </summary>
    /// <param name="workload">The route.</param>
    /// <param name="candidates">The endpoints a rent of the workload may take, or none.</param>
    /// <param name="engines">Every endpoint's engine, by endpoint index.</param>
    public void Link(Workload workload, ReadOnlySpan<EndpointState> candidates, IEndpointEngine[] engines)
    {
        // Each engine's link is written once, straight to its new value, so a rent reading links meanwhile finds either
        // the old ring or the new one.
        IEndpointEngine? first = candidates.IsEmpty ? null : engines[candidates[0].Index];
        object? current = _current[(int)workload];
        bool turnInRing = false;
        for (int i = 0; i < engines.Length; i++)
        {
            int at = PlaceOf(i, candidates);
            engines[i].LinkRoute(workload, at < 0 ? first : engines[candidates[(at + 1) % candidates.Length].Index]);
            turnInRing |= at >= 0 && ReferenceEquals(engines[i], current);
        }

        // Keeping the turn where it is when that engine stays in the ring keeps the turns even across relinks.
        _current[(int)workload] = turnInRing ? current : first;
    }

    /// <summary>Takes every workload off the fast route and unlinks the engines: the pool is shutting down.</summary>
    /// <param name="engines">Every endpoint's engine.</param>
    public void Clear(IEndpointEngine[] engines)
    {
        for (Workload workload = 0; (int)workload < Workloads; workload++)
        {
            Link(workload, default, engines);
        }
    }

    private static int PlaceOf(int endpoint, ReadOnlySpan<EndpointState> candidates)
    {
        for (int i = 0; i < candidates.Length; i++)
        {
            if (candidates[i].Index == endpoint)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>One entry per workload: the multi-host pool's turns, and each engine's links.</summary>
    [InlineArray(Workloads)]
    internal struct PerWorkload
    {
        private object? _entry;
    }
}
