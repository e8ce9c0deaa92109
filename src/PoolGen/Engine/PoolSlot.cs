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
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>
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

    /// <summary>
    /// Leak detection only: the token of the lease <see cref="LentAtMs"/> and <see cref="RentSite"/> belong to,
    /// written last by the renting thread so that the maintenance pass never pairs one lease's time with another's.
    /// </summary>
    public int TrackedToken = -1;

    /// <summary>Leak detection only: when the tracked lease was handed out.</summary>
    public long LentAtMs;

    /// <summary>Leak detection only: the stack of the call that rented the tracked lease.</summary>
    public System.Diagnostics.StackTrace? RentSite;

    /// <summary>Leak detection only: the token of the last lease reported as leaked, so each is reported once.</summary>
    public int ReportedToken = -1;

    public int State => SlotState.StateOf(Volatile.Read(ref Word));
}
