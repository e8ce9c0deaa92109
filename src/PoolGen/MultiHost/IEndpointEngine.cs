namespace PoolGen;

/// <summary>
/// An endpoint pool that takes its endpoint's state from the multi-host pool over it: a generated multi-host pool's
/// engines, whose leases then carry their endpoint and role and end the router's per-lease accounting themselves, and
/// which hold the links of the router's fast routes (<see cref="RouteSpread"/>).
/// </summary>
internal interface IEndpointEngine
{
    /// <summary>Called once by the multi-host pool, before the first rent.</summary>
    /// <param name="endpoint">The state the pool keeps for this engine's endpoint.</param>
    /// <param name="metrics">The whole pool's instruments, where the engine counts the rents it serves at once.</param>
    void Attach(EndpointState endpoint, MultiHostMetrics metrics);

    /// <summary>
    /// Whether a fast route may lend this engine's idle connections at once; false while the engine tracks leaks, whose
    /// rent site only the slow path notes. Fixed for the engine's life.
    /// </summary>
    bool ServesFastRoutes { get; }

    /// <summary>Sets the engine that takes <paramref name="workload"/>'s turn after this one; null for none.</summary>
    /// <param name="workload">The route.</param>
    /// <param name="next">The next engine of the route's ring, or its first when this engine is not in it.</param>
    void LinkRoute(Workload workload, IEndpointEngine? next);
}
