using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Takes a connection back from a lease; a lease that was already returned is ignored and counted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Return(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        long nowMs = NowMs();
        if (IsPlainReturn(slot, token, nowMs))
        {
            ReturnToIdle(slot, token, nowMs);
        }
        else
        {
            ReturnChecked(slot, token, nowMs);
        }
    }

    /// <summary>Takes a connection back, running the policy's asynchronous reset, validation or close when needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ValueTask ReturnAsync(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        long nowMs = NowMs();
        if (IsPlainReturn(slot, token, nowMs))
        {
            ReturnToIdle(slot, token, nowMs);
            return default;
        }

        return ReturnCheckedAsync(slot, token, nowMs);
    }

    /// <summary>
    /// A return that needs no claim first: the connection goes straight back to the idle set. The only user code it
    /// may run is the pool's cheap IsBroken check, on a connection the lease still holds. A lease a multi-host pool must
    /// end is claimed first, so that only the return that wins it ends it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsPlainReturn(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs) =>
        !_policy.HasReset && !_settings.ValidateOnReturn && MayKeep(slot, nowMs) && slot.RouteMark == 0
        && !(_policy.HasIsBroken && ReportsBroken(slot, token));

    /// <summary>
    /// Asks the pool's IsBroken method about the connection of a current lease; a broken one is marked like an
    /// invalidated one, so the careful return closes it. A stale copy asks nothing: its return will be ignored.
    /// </summary>
    private bool ReportsBroken(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        if (Volatile.Read(ref slot.Word) != SlotState.Pack(token, SlotState.Leased) || !IsBroken(slot.Connection!))
        {
            return false;
        }

        slot.ExpiresAtMs = long.MinValue;
        return true;
    }

    /// <summary>
    /// Why a claimed connection must be closed rather than kept (lifetime, generation, size, brokenness), or null when
    /// it may be kept; counts it when it was invalidated or found broken.
    /// </summary>
    private CloseReason? ReasonToClose(PoolSlot<TConnection, TLease, TPolicy> slot, TConnection connection, long nowMs)
    {
        CloseReason? reason = ReasonToClose(slot, nowMs);
        if (reason is null && _policy.HasIsBroken && IsBroken(connection))
        {
            slot.ExpiresAtMs = long.MinValue;
            reason = CloseReason.Broken;
        }

        if (reason == CloseReason.Broken)
        {
            _counters.CountBroken();
        }

        return reason;
    }

    /// <summary>The reason <see cref="MayKeep"/> says no, or null when it says yes.</summary>
    private CloseReason? ReasonToClose(PoolSlot<TConnection, TLease, TPolicy> slot, long nowMs) =>
        slot.ExpiresAtMs == long.MinValue ? CloseReason.Broken
        : nowMs >= slot.ExpiresAtMs ? CloseReason.Lifetime
        : slot.Generation != _table.Generation ? CloseReason.Clear
        : _table.Reserved > _table.Max ? CloseReason.Resize
        : null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReturnToIdle(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs)
    {
        // The use is recorded while the lease still owns the slot, and only by a current lease: a stale copy writing it
        // would make a connection idle for longer than ValidateAfterIdleMs look just used, and skip its validation.
        long leased = SlotState.Pack(token, SlotState.Leased);
        if (Volatile.Read(ref slot.Word) == leased)
        {
            slot.LastUsedMs = nowMs;
            RecordUse(slot);
        }

        // One compare-and-swap both checks that this lease is current and makes the slot idle. It is a full fence, so
        // the read of the queue's count below cannot move before it: a rent that queued earlier is seen here, and a rent that
        // queues later finds the slot idle when it scans.
        if (Interlocked.CompareExchange(ref slot.Word, SlotState.Pack(token + 1, SlotState.Idle), leased) != leased)
        {
            _counters.CountStaleDisposal();
            return;
        }

        if ((_queue.Count | Volatile.Read(ref _disposed)) != 0)
        {
            OnIdleAdded();
        }
    }

    /// <summary>
    /// Whether a returned connection may go back to the idle set rather than be closed: it is within its lifetime (and
    /// not invalidated, which sets the expiry to the past), of the current generation, and the pool is not above Max.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayKeep(PoolSlot<TConnection, TLease, TPolicy> slot, long nowMs) =>
        nowMs < slot.ExpiresAtMs
        && slot.Generation == _table.Generation
        && _table.Reserved <= _table.Max;

    /// <summary>
    /// The careful return: the slot is claimed first, so the user's reset and validation run on a connection no other
    /// party can reach, even if two copies of the lease are disposed at once.
    /// </summary>
    private void ReturnChecked(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs)
    {
        if (!TryClaim(slot, token))
        {
            return;
        }

        EndRoute(slot);
        RecordUse(slot);
        TConnection connection = slot.Connection!;
        CloseReason? close = ReasonToClose(slot, connection, nowMs);
        if (close is null && _policy.HasReset && !TryReset(connection))
        {
            close = CloseReason.ResetFailure;
        }

        if (close is null && _settings.ValidateOnReturn && ValidateNow(connection, long.MaxValue) != Check.Usable)
        {
            close = CloseReason.Validation;
        }

        if (close is null)
        {
            MakeIdle(slot, token + 1, nowMs);
        }
        else
        {
            Retire(slot, token + 1, SlotState.Busy, close.Value);
        }
    }

    private async ValueTask ReturnCheckedAsync(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs)
    {
        if (!TryClaim(slot, token))
        {
            return;
        }

        EndRoute(slot);
        RecordUse(slot);
        TConnection connection = slot.Connection!;
        CloseReason? close = ReasonToClose(slot, connection, nowMs);
        if (close is null && _policy.HasReset && !await TryResetAsync(connection).ConfigureAwait(false))
        {
            close = CloseReason.ResetFailure;
        }

        if (close is null && _settings.ValidateOnReturn && !await ValidateCountedAsync(connection, CancellationToken.None).ConfigureAwait(false))
        {
            close = CloseReason.Validation;
        }

        if (close is null)
        {
            MakeIdle(slot, token + 1, NowMs());
        }
        else
        {
            await RetireAsync(slot, token + 1, SlotState.Busy, close.Value).ConfigureAwait(false);
        }
    }

    /// <summary>Moves a leased slot to <see cref="SlotState.Busy"/> if the token is current; otherwise counts a stale disposal.</summary>
    private bool TryClaim(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        long leased = SlotState.Pack(token, SlotState.Leased);
        if (Interlocked.CompareExchange(ref slot.Word, SlotState.Pack(token + 1, SlotState.Busy), leased) == leased)
        {
            return true;
        }

        _counters.CountStaleDisposal();
        return false;
    }

    /// <summary>Publishes a slot the engine owns as idle, used just now, then serves waiters.</summary>
    private void MakeIdle(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs)
    {
        slot.LastUsedMs = nowMs;
        PublishIdle(slot, token);
    }

    /// <summary>
    /// Publishes a slot the engine owns as idle without touching its last use, which idle pruning goes by: a
    /// connection that maintenance merely checked is no less idle.
    /// </summary>
    private void PublishIdle(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        // A full fence, as on the hot path: the reads in OnIdleAdded's callers must not pass the store.
        Interlocked.Exchange(ref slot.Word, SlotState.Pack(token, SlotState.Idle));
        if ((_queue.Count | Volatile.Read(ref _disposed)) != 0)
        {
            OnIdleAdded();
        }
    }

    /// <summary>A connection became idle while rents wait or the pool shuts down: give it to a waiter, or close it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnIdleAdded()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            CloseIdle(CloseReason.Shutdown);
            return;
        }

        ServeOldestWaiter();
    }

    /// <summary>
    /// Closes the connection of a slot the caller owns (its word is <paramref name="token"/> with
    /// <paramref name="state"/>) for <paramref name="reason"/>, and frees the slot.
    /// </summary>
    private void Retire(PoolSlot<TConnection, TLease, TPolicy> slot, int token, int state, CloseReason reason)
    {
        // A failing close must not fail the rent or return that retired it: the connection is gone either way.
        CloseConnection(Detach(slot, token, state));
        Freed(slot, token, reason);
    }

    private async ValueTask RetireAsync(PoolSlot<TConnection, TLease, TPolicy> slot, int token, int state, CloseReason reason)
    {
        await CloseConnectionAsync(Detach(slot, token, state)).ConfigureAwait(false);
        Freed(slot, token, reason);
    }

    private TConnection Detach(PoolSlot<TConnection, TLease, TPolicy> slot, int token, int state)
    {
        if (state != SlotState.Busy)
        {
            Volatile.Write(ref slot.Word, SlotState.Pack(token, SlotState.Busy));
        }

        TConnection connection = slot.Connection!;
        slot.Connection = null;
        return connection;
    }

    private void Freed(PoolSlot<TConnection, TLease, TPolicy> slot, int token, CloseReason reason)
    {
        _counters.CountClosed(reason);
        RecordClosed(slot, reason);
        Volatile.Write(ref slot.Word, SlotState.Pack(token + 1, SlotState.Empty));
        Unreserve();
    }
}
