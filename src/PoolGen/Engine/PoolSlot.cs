using System.Threading;

namespace PoolGen;

/// <summary>
/// One place for a connection in a pool. Slots live as long as the pool; a connection comes and goes, and the
/// token in <see cref="Word"/> grows on every return and retirement, so a handle from an earlier lease never matches.
/// </summary>
/// <remarks>
/// The fields other than <see cref="Word"/> are written only by whoever owns the slot (a lease holder, or the engine
/// while the slot is <see cref="SlotState.Busy"/>); the compare-and-swap on <see cref="Word"/> that hands ownership
/// over also publishes them.
/// </remarks>
internal sealed class PoolSlot<TConnection, TLease, TPolicy>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    public PoolSlot(PoolEngine<TConnection, TLease, TPolicy> owner) => Owner = owner;

    /// <summary>The engine this slot belongs to; the lease handle finds its pool through it.</summary>
    public readonly PoolEngine<TConnection, TLease, TPolicy> Owner;

    /// <summary>State and token, see <see cref="SlotState"/>.</summary>
    public long Word;

    public TConnection? Connection;

    /// <summary>When the connection was last handed back or validated, in the engine's milliseconds.</summary>
    public long LastUsedMs;

    /// <summary>When the connection must be retired, in the engine's milliseconds; <see cref="long.MaxValue"/> for never.</summary>
    public long ExpiresAtMs;

    /// <summary>The pool generation the connection was opened in; <c>Clear</c> moves the pool to the next one.</summary>
    public int Generation;

    /// <summary>Rents served from this slot. Only the slot's owner writes it, so counting rents contends on nothing.</summary>
    public long Rents;

    /// <summary>When the connection was opened, in the engine's milliseconds: its lifetime is measured from here.</summary>
    public long OpenedAtMs;

    /// <summary>
    /// When the current lease was lent, as a timestamp of the pool's clock, while the use-time histogram is recorded;
    /// 0 otherwise, so the return knows without asking the meter.
    /// </summary>
    public long LentAtTimestamp;

    /// <summary>What leak detection knows of the current lease; null unless the pool tracks leaks.</summary>
    public LeakRecord? Leak;

    /// <summary>
    /// Nonzero while the lease is one a multi-host pool must end on return (it holds a workload's quota, or its endpoint
    /// counts leases in flight): the mark <see cref="EndpointState.EndLease"/> takes. 0 for every other lease, so a
    /// return knows without asking the router.
    /// </summary>
    public long RouteMark;

    /// <summary>The workload quota the current lease holds, while <see cref="RouteMark"/> is nonzero; else null.</summary>
    public WorkloadQuota? RouteQuota;

    public int State => SlotState.StateOf(Volatile.Read(ref Word));
}
