using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Rents a connection, waiting up to the pool's acquire timeout.</summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TLease Rent() => _settings.LeakThresholdMs == 0 ? Rent(_settings.AcquireTimeoutMs) : RentTracked(_settings.AcquireTimeoutMs);

    /// <summary>Rents a connection, waiting up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits forever).</summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public TLease Rent(TimeSpan timeout) =>
        _settings.LeakThresholdMs == 0 ? Rent(ToMilliseconds(timeout)) : RentTracked(ToMilliseconds(timeout));

    /// <summary>Rents a connection asynchronously, waiting up to the pool's acquire timeout.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<TLease> RentAsync(CancellationToken cancellationToken) =>
        _settings.LeakThresholdMs == 0
            ? RentAsync(_settings.AcquireTimeoutMs, cancellationToken)
            : RentTrackedAsync(_settings.AcquireTimeoutMs, cancellationToken);

    /// <summary>Rents a connection asynchronously, waiting up to <paramref name="timeout"/>.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    public ValueTask<TLease> RentAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _settings.LeakThresholdMs == 0
            ? RentAsync(ToMilliseconds(timeout), cancellationToken)
            : RentTrackedAsync(ToMilliseconds(timeout), cancellationToken);

    /// <summary>
    /// Takes an idle connection if there is one, without waiting and without opening a new one. Returns false when
    /// none is idle or when rents are already waiting (they come first).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public bool TryRent(out TLease lease)
    {
        ThrowIfDisposed();
        long started = _waitTime.Enabled ? _settings.Time.GetTimestamp() : 0;
        while (MayTakeIdle() && _table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot) || AcceptIdle(slot, token, long.MaxValue) == Check.Usable)
            {
                lease = Lend(slot, token);
                if (started != 0)
                {
                    RecordWaitSince(started);
                }

                if (_settings.LeakThresholdMs != 0)
                {
                    Track(lease, LeakTracker<TConnection, TLease, TPolicy>.CaptureRentSite());
                }

                return true;
            }
        }

        lease = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TLease Rent(int timeoutMs)
    {
        // The hot path: an idle connection of the current generation that needs no validation.
        if (MayTakeIdle() && _table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot))
            {
                RecordServedAtOnce();
                return Lend(slot, token);
            }

            return RentSlow(timeoutMs, slot, token);
        }

        return RentSlow(timeoutMs, null, 0);
    }

    /// <summary>
    /// Serves an asynchronous rent without an async method wherever it can: from the idle set, or by queueing a
    /// waiter whose <see cref="ValueTask{TResult}"/> the engine completes with the final lease. Only opening a
    /// connection and checking one that needs validation go through an async method.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueTask<TLease> RentAsync(int timeoutMs, CancellationToken cancellationToken)
    {
        if (MayTakeIdle() && !cancellationToken.IsCancellationRequested && _table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot))
            {
                RecordServedAtOnce();
                return new ValueTask<TLease>(Lend(slot, token));
            }

            return RentIdleCheckedAsync(timeoutMs, slot, token, cancellationToken);
        }

        return RentWithoutIdleAsync(timeoutMs, cancellationToken);
    }

    private ValueTask<TLease> RentWithoutIdleUnobservedAsync(int timeoutMs, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromException<TLease>(CreateCanceledException(cancellationToken));
        }

        if (_queue.Count == 0 && TryReserve())
        {
            return OpenLeasedAsync(PreciseNowMs(), timeoutMs, cancellationToken);
        }

        if (timeoutMs == 0)
        {
            return ValueTask.FromException<TLease>(CreateTimeoutException(PreciseNowMs()));
        }

        long startMs = PreciseNowMs();
        return Wait(startMs, DeadlineOf(startMs, timeoutMs), cancellationToken);
    }

    /// <summary>Queues an asynchronous rent; the engine completes the returned task with a lease or an error.</summary>
    private ValueTask<TLease> Wait(long startMs, long deadlineMs, CancellationToken cancellationToken)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? waiter = Join(
            isAsync: true, startMs, deadlineMs, cancellationToken, out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token);
        if (waiter is not null)
        {
            return new ValueTask<TLease>(waiter, waiter.Version);
        }

        // Served at once: a connection came back between the scan that found none and joining the queue.
        return IsReadyToLend(slot!)
            ? new ValueTask<TLease>(Lend(slot!, token))
            : RentCheckedAsync(startMs, deadlineMs, slot!, token, cancellationToken);
    }

    /// <summary>
    /// A synchronous rent that could not lend at once: <paramref name="taken"/>, when given, is an idle connection it
    /// took that needs checking first.
    /// </summary>
    private TLease RentSlowUnobserved(int timeoutMs, PoolSlot<TConnection, TLease, TPolicy>? taken, int takenToken)
    {
        long startMs = PreciseNowMs();
        long deadlineMs = DeadlineOf(startMs, timeoutMs);
        if (taken is not null && Accepted(taken, takenToken, startMs, deadlineMs))
        {
            return Lend(taken, takenToken);
        }

        while (true)
        {
            ThrowIfDisposed();
            if (_queue.Count == 0)
            {
                if (_table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token))
                {
                    if (Accepted(slot, token, startMs, deadlineMs))
                    {
                        return Lend(slot, token);
                    }

                    continue;
                }

                if (TryReserve())
                {
                    return OpenLeased(startMs, timeoutMs);
                }
            }

            int remainingMs = RemainingMs(startMs, timeoutMs);
            if (remainingMs == 0)
            {
                throw CreateTimeoutException(startMs);
            }

            if (WaitForHandOff(startMs, deadlineMs, remainingMs, out TLease lease))
            {
                return lease;
            }
        }
    }

    /// <summary>Checks a taken idle connection for a synchronous rent; throws when the rent's deadline came during the check.</summary>
    private bool Accepted(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long startMs, long deadlineMs) =>
        AcceptIdle(slot, token, deadlineMs) switch
        {
            Check.Usable => true,
            Check.PastDeadline => throw CreateTimeoutException(startMs),
            _ => false,
        };

    /// <summary>An asynchronous rent whose idle connection needs checking first; rare, so an async method is fine.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TLease> RentCheckedAsync(
        long startMs,
        long deadlineMs,
        PoolSlot<TConnection, TLease, TPolicy> slot,
        int token,
        CancellationToken cancellationToken)
    {
        int timeoutMs = deadlineMs == long.MaxValue ? Timeout.Infinite : (int)(deadlineMs - startMs);
        while (true)
        {
            switch (await AcceptIdleAsync(slot, token, deadlineMs, cancellationToken).ConfigureAwait(false))
            {
                case Check.Usable:
                    return Lend(slot, token);
                case Check.Canceled:
                    throw CreateCanceledException(cancellationToken);
                case Check.PastDeadline:
                    throw CreateTimeoutException(startMs);
            }

            ThrowIfDisposed();
            if (cancellationToken.IsCancellationRequested)
            {
                throw CreateCanceledException(cancellationToken);
            }

            if (_queue.Count != 0 || !_table.TryTakeIdle(out PoolSlot<TConnection, TLease, TPolicy>? next, out token))
            {
                if (_queue.Count == 0 && TryReserve())
                {
                    return await OpenLeasedAsync(startMs, timeoutMs, cancellationToken).ConfigureAwait(false);
                }

                if (RemainingMs(startMs, timeoutMs) == 0)
                {
                    throw CreateTimeoutException(startMs);
                }

                return await Wait(startMs, deadlineMs, cancellationToken).ConfigureAwait(false);
            }

            slot = next;
        }
    }

    /// <summary>
    /// Rents take from the idle set only while nobody waits: with waiters queued, a new rent queues behind them, so
    /// waiting stays first-in first-out and a returned connection always reaches the oldest waiter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayTakeIdle() => (Volatile.Read(ref _disposed) | _queue.Count) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TLease Lend(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        slot.Rents++;
        StampLent(slot);
        return TLease.FromHandle(new PoolHandle<TConnection, TLease, TPolicy>(slot, token));
    }

    /// <summary>Puts a slot this thread took but did not lend back into the idle set, unchanged.</summary>
    private void Release(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        Interlocked.Exchange(ref slot.Word, SlotState.Pack(token, SlotState.Idle));
        if ((_queue.Count | Volatile.Read(ref _disposed)) != 0)
        {
            OnIdleAdded();
        }
    }
}
