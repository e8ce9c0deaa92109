namespace PoolGen;

/// <summary>
/// A snapshot of one pool. Gauges (<see cref="Total"/>, <see cref="Idle"/>, <see cref="Leased"/>, <see cref="Opening"/>,
/// <see cref="Pending"/>) are read one after another, so a snapshot taken while the pool is busy need not add up
/// exactly; counters only grow.
/// </summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Total">Open connections: idle, leased and those being validated or reset.</param>
/// <param name="Idle">Open connections waiting to be rented.</param>
/// <param name="Leased">Connections held by leases.</param>
/// <param name="Opening">Connections being opened by a factory call right now.</param>
/// <param name="Pending">Rents waiting for a connection.</param>
/// <param name="Min">The current minimum size.</param>
/// <param name="Max">The current maximum size.</param>
/// <param name="Created">Connections opened since the pool started.</param>
/// <param name="Closed">Connections closed since the pool started.</param>
/// <param name="CreateFailures">Factory calls that threw.</param>
/// <param name="ValidationFailures">Connections closed because validation said they were unusable.</param>
/// <param name="ResetFailures">Returned connections closed because the pool's reset method threw.</param>
/// <param name="Timeouts">Rents that gave up waiting.</param>
/// <param name="Cancellations">Rents cancelled through their token while waiting.</param>
/// <param name="Rents">Successful rents.</param>
/// <param name="Waits">Rents that had to wait for a connection.</param>
/// <param name="StaleDisposals">Disposals of a lease that had already been returned (a copy disposed twice); each was ignored.</param>
/// <param name="Broken">Returned connections closed because the lease invalidated them or the pool's IsBroken method said so.</param>
/// <param name="LeaksSuspected">Leases reported as held longer than LeakThresholdMs (each at most once).</param>
/// <param name="UserCodeErrors">
/// Exceptions thrown by the class's Validate, Reset, Close or IsBroken methods; each is also logged (rate-limited). A
/// factory's exceptions are in <paramref name="CreateFailures"/>.
/// </param>
public readonly record struct PoolStats(
    string Name,
    int Total,
    int Idle,
    int Leased,
    int Opening,
    int Pending,
    int Min,
    int Max,
    long Created,
    long Closed,
    long CreateFailures,
    long ValidationFailures,
    long ResetFailures,
    long Timeouts,
    long Cancellations,
    long Rents,
    long Waits,
    long StaleDisposals,
    long Broken,
    long LeaksSuspected,
    long UserCodeErrors)
{
    /// <summary>
    /// Rents refused at once with <see cref="PoolOverloadedException"/> because the pool was overloaded
    /// (MaxPendingRents or ShedLoad); they are not in <see cref="Timeouts"/>.
    /// </summary>
    public long Shed { get; init; }
}
