using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace PoolGen;

/// <content>
/// The engine as one endpoint's pool inside a generated multi-host pool: the router hands rents straight to it, its
/// leases are the pool's leases (no wrapper), and what the router started for a lease (a quota, a count in flight) ends
/// here, on the return that wins the lease back, so a lease disposed twice ends it once.
/// </content>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy> : IConnectionPool<TConnection, TLease>, IEndpointEngine
{
    /// <summary>The endpoint this engine serves, once a multi-host pool attached it; null in a single-server pool.</summary>
    private EndpointState? _endpoint;

    /// <summary>The multi-host pool's instruments, where the rents served at once are counted; null in a single-server pool.</summary>
    private MultiHostMetrics? _routerMetrics;

    /// <summary>Per workload, the engine that takes the fast route's turn after this one (<see cref="RouteSpread"/>).</summary>
    private RouteSpread.PerWorkload _nextInRoute;

    /// <summary>
    /// Creates the pool of one endpoint of a multi-host pool, named <c>Name@endpoint</c>; nothing is opened yet. The
    /// generated multi-host pool creates one per endpoint.
    /// </summary>
    /// <param name="options">The whole pool's settings; sizes and timeouts apply to this endpoint's pool.</param>
    /// <param name="endpoint">The endpoint, which names the pool.</param>
    /// <param name="policy">The connection lifecycle, whose factory connects to <paramref name="endpoint"/>.</param>
    public PoolEngine(PoolOptions options, PoolEndpoint endpoint, TPolicy policy)
        : this(ForEndpoint(options, endpoint), policy)
    {
    }

    /// <inheritdoc/>
    PoolStats IConnectionPool.Stats => GetStats();

    /// <summary>
    /// A generated multi-host pool's fast path: the engine whose turn it is in <paramref name="workload"/>'s route passes
    /// the turn on and lends an idle connection that needs no check, counted as a rent of <paramref name="workload"/> on
    /// its endpoint. False sends the rent to the router's slow path, which waits, opens, validates and fails over; a
    /// connection that needs validation is put back for it untouched.
    /// </summary>
    /// <param name="router">The multi-host pool over engines of this type.</param>
    /// <param name="workload">The rent's workload, which names the route.</param>
    /// <param name="lease">The lease, when the method returns true.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRentRouted(MultiHostPool<TConnection, TLease> router, Workload workload, out TLease lease)
    {
        ref RouteSpread routes = ref router.Routes;
        if (routes.Current(workload) is PoolEngine<TConnection, TLease, TPolicy> engine)
        {
            // The link is on a line the rent reads anyway; a route of one engine links to itself and writes nothing.
            object? next = engine._nextInRoute[(int)workload];
            if (!ReferenceEquals(next, engine))
            {
                routes.Pass(workload, next);
            }

            return engine.TryRentAtOnce(workload, out lease);
        }

        lease = default;
        return false;
    }

    /// <summary>
    /// Unwraps a lease the router's slow path rented on one of these engines: what the router started for it (quota,
    /// count in flight) moves into the slot, and this engine ends it when the lease is returned. An empty lease stays empty.
    /// </summary>
    /// <param name="routed">A lease just rented from a <see cref="MultiHostPool{TConnection, TLease}"/> over these engines.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static TLease Settle(MultiHostLease<TConnection, TLease> routed)
    {
        TLease inner = routed.Inner;
        if (routed.Mark != 0 && inner.Handle.Slot is { } slot)
        {
            // The lease was rented just now by this thread, so it owns the slot; its return publishes these fields.
            slot.RouteQuota = routed.Quota;
            slot.RouteMark = routed.Mark;
        }

        return inner;
    }

    /// <summary>The endpoint state of this engine's multi-host pool, which a lease reads for its endpoint and role.</summary>
    internal EndpointState RoutedEndpoint =>
        _endpoint ?? throw new InvalidOperationException($"Pool '{Name}' is not an endpoint of a multi-host pool, so its leases have no endpoint.");

    /// <inheritdoc/>
    void IEndpointEngine.Attach(EndpointState endpoint, MultiHostMetrics metrics) => (_endpoint, _routerMetrics) = (endpoint, metrics);

    /// <inheritdoc/>
    bool IEndpointEngine.ServesFastRoutes => _settings.LeakThresholdMs == 0;

    /// <inheritdoc/>
    void IEndpointEngine.LinkRoute(Workload workload, IEndpointEngine? next) => _nextInRoute[(int)workload] = next;

    /// <summary>A lease's connection was invalidated: the server may have gone away or changed role, so have it checked soon.</summary>
    internal void OnInvalidated()
    {
        if (_endpoint is { } endpoint)
        {
            endpoint.Monitor?.Suspect(endpoint);
        }
    }

    /// <summary>The fast path's rent on this engine: an idle connection that needs no check, or false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryRentAtOnce(Workload workload, out TLease lease)
    {
        if (MayTakeIdle() && _table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot))
            {
                RecordServedAtOnce();
                _routerMetrics!.Rented(workload, _endpoint!);
                lease = Lend(slot, token);
                return true;
            }

            Release(slot, token);
        }

        lease = default;
        return false;
    }

    /// <summary>Ends what the router started for the lease of a slot just claimed back; nothing for other leases.</summary>
    private void EndRoute(PoolSlot<TConnection, TLease, TPolicy> slot)
    {
        long mark = slot.RouteMark;
        if (mark != 0)
        {
            WorkloadQuota? quota = slot.RouteQuota;
            slot.RouteMark = 0;
            slot.RouteQuota = null;
            _endpoint!.EndLease(quota, mark);
        }
    }

    private static PoolOptions ForEndpoint(PoolOptions options, PoolEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        return options.ForEndpoint(endpoint);
    }
}
