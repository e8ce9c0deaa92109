using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TPolicy>
{
    /// <summary>Rents a connection, waiting up to the pool's acquire timeout.</summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PoolHandle<TConnection, TPolicy> Rent() => Rent(_acquireTimeoutMs);

    /// <summary>Rents a connection, waiting up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits forever).</summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public PoolHandle<TConnection, TPolicy> Rent(TimeSpan timeout) => Rent(ToMilliseconds(timeout));

    /// <summary>Rents a connection asynchronously, waiting up to the pool's acquire timeout.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<PoolHandle<TConnection, TPolicy>> RentAsync(CancellationToken cancellationToken) =>
        RentAsync(_acquireTimeoutMs, cancellationToken);

    /// <summary>Rents a connection asynchronously, waiting up to <paramref name="timeout"/>.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    public ValueTask<PoolHandle<TConnection, TPolicy>> RentAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        RentAsync(ToMilliseconds(timeout), cancellationToken);

    /// <summary>
    /// Takes an idle connection if there is one, without waiting and without opening a new one. Returns false when
    /// none is idle or when rents are already waiting (they come first).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public bool TryRent(out PoolHandle<TConnection, TPolicy> handle)
    {
        ThrowIfDisposed();
        while (MayTakeIdle() && TryTakeIdle(out PoolSlot<TConnection, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot) || AcceptIdle(slot, token))
            {
                handle = Lend(slot, token);
                return true;
            }
        }

        handle = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PoolHandle<TConnection, TPolicy> Rent(int timeoutMs)
    {
        // The hot path: an idle connection of the current generation that needs no validation.
        if (MayTakeIdle() && TryTakeIdle(out PoolSlot<TConnection, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot) || AcceptIdle(slot, token))
            {
                return Lend(slot, token);
            }
        }

        return RentSlow(timeoutMs);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueTask<PoolHandle<TConnection, TPolicy>> RentAsync(int timeoutMs, CancellationToken cancellationToken)
    {
        if (MayTakeIdle() && !cancellationToken.IsCancellationRequested && TryTakeIdle(out PoolSlot<TConnection, TPolicy>? slot, out int token))
        {
            if (IsReadyToLend(slot))
            {
                return new ValueTask<PoolHandle<TConnection, TPolicy>>(Lend(slot, token));
            }

            return RentSlowAsync(timeoutMs, slot, token, cancellationToken);
        }

        return RentSlowAsync(timeoutMs, null, 0, cancellationToken);
    }

    /// <summary>
    /// Rents take from the idle set only while nobody waits: with waiters queued, a new rent queues behind them, so
    /// waiting stays first-in first-out and a returned connection always reaches the oldest waiter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayTakeIdle() => (Volatile.Read(ref _disposed) | Volatile.Read(ref _waiting)) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsReadyToLend(PoolSlot<TConnection, TPolicy> slot) =>
        slot.Generation == Volatile.Read(ref _generation) && !NeedsValidation(slot);

    private PoolHandle<TConnection, TPolicy> RentSlow(int timeoutMs)
    {
        long startMs = NowMs();
        while (true)
        {
            ThrowIfDisposed();
            if (Volatile.Read(ref _waiting) == 0)
            {
                if (TryTakeIdle(out PoolSlot<TConnection, TPolicy>? slot, out int token))
                {
                    if (AcceptIdle(slot, token))
                    {
                        return Lend(slot, token);
                    }

                    continue;
                }

                if (TryReserve())
                {
                    return OpenLeased();
                }
            }

            int remainingMs = RemainingMs(startMs, timeoutMs);
            if (remainingMs == 0)
            {
                throw CreateTimeoutException(startMs);
            }

            PoolHandle<TConnection, TPolicy> handed = WaitForHandOff(startMs, remainingMs);
            if (AcceptHandedOff(handed))
            {
                return handed;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PoolHandle<TConnection, TPolicy>> RentSlowAsync(
        int timeoutMs,
        PoolSlot<TConnection, TPolicy>? taken,
        int takenToken,
        CancellationToken cancellationToken)
    {
        long startMs = NowMs();
        if (taken is not null)
        {
            // The fast path took this slot but it needs checking first.
            if (await AcceptIdleAsync(taken, takenToken, cancellationToken).ConfigureAwait(false))
            {
                return Lend(taken, takenToken);
            }
        }

        while (true)
        {
            ThrowIfDisposed();
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _waiting) == 0)
            {
                if (TryTakeIdle(out PoolSlot<TConnection, TPolicy>? slot, out int token))
                {
                    if (await AcceptIdleAsync(slot, token, cancellationToken).ConfigureAwait(false))
                    {
                        return Lend(slot, token);
                    }

                    continue;
                }

                if (TryReserve())
                {
                    return await OpenLeasedAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            int remainingMs = RemainingMs(startMs, timeoutMs);
            if (remainingMs == 0)
            {
                throw CreateTimeoutException(startMs);
            }

            PoolWaiter<TConnection, TPolicy> waiter = RentWaiter();
            waiter.Arm(startMs, remainingMs, cancellationToken);
            Enqueue(waiter);
            ServeWaiters();
            PoolHandle<TConnection, TPolicy> handed = await new ValueTask<PoolHandle<TConnection, TPolicy>>(waiter, waiter.Version).ConfigureAwait(false);
            if (await AcceptHandedOffAsync(handed, cancellationToken).ConfigureAwait(false))
            {
                return handed;
            }
        }
    }

    /// <summary>Scans the used slots, lowest first, and takes the first idle one; the low slots stay warm, the high ones age out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTakeIdle([NotNullWhen(true)] out PoolSlot<TConnection, TPolicy>? taken, out int token)
    {
        PoolSlot<TConnection, TPolicy>[] slots = Volatile.Read(ref _slots);
        int limit = Math.Min(Volatile.Read(ref _scanLimit), slots.Length);
        for (int i = 0; i < limit; i++)
        {
            PoolSlot<TConnection, TPolicy> slot = slots[i];
            long word = Volatile.Read(ref slot.Word);
            if (SlotState.StateOf(word) == SlotState.Idle
                && Interlocked.CompareExchange(ref slot.Word, word + (SlotState.Leased - SlotState.Idle), word) == word)
            {
                taken = slot;
                token = SlotState.TokenOf(word);
                return true;
            }
        }

        taken = null;
        token = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PoolHandle<TConnection, TPolicy> Lend(PoolSlot<TConnection, TPolicy> slot, int token)
    {
        slot.Rents++;
        return new PoolHandle<TConnection, TPolicy>(slot, token);
    }

    /// <summary>Puts a slot this thread took but did not lend back into the idle set, unchanged.</summary>
    private void Release(PoolSlot<TConnection, TPolicy> slot, int token)
    {
        Interlocked.Exchange(ref slot.Word, SlotState.Pack(token, SlotState.Idle));
        if ((Volatile.Read(ref _waiting) | Volatile.Read(ref _disposed)) != 0)
        {
            OnIdleAdded();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NeedsValidation(PoolSlot<TConnection, TPolicy> slot) =>
        _validateOnRent && NowMs() - slot.LastUsedMs >= _validateAfterIdleMs;

    /// <summary>Decides whether a connection just taken from the idle set may be lent; a stale or invalid one is closed.</summary>
    private bool AcceptIdle(PoolSlot<TConnection, TPolicy> slot, int token)
    {
        if (slot.Generation != Volatile.Read(ref _generation))
        {
            Retire(slot, token, SlotState.Leased);
            return false;
        }

        if (!NeedsValidation(slot))
        {
            return true;
        }

        bool valid;
        try
        {
            valid = _policy.Validate(slot.Connection!);
        }
        catch (Exception)
        {
            // A validator that throws has answered the question: the connection is not usable.
            valid = false;
        }

        return Validated(slot, token, valid);
    }

    private async ValueTask<bool> AcceptIdleAsync(PoolSlot<TConnection, TPolicy> slot, int token, CancellationToken cancellationToken)
    {
        if (slot.Generation != Volatile.Read(ref _generation))
        {
            await RetireAsync(slot, token, SlotState.Leased).ConfigureAwait(false);
            return false;
        }

        if (!NeedsValidation(slot))
        {
            return true;
        }

        bool valid;
        try
        {
            valid = await _policy.ValidateAsync(slot.Connection!, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Release(slot, token);
            throw;
        }
        catch (Exception)
        {
            valid = false;
        }

        if (valid)
        {
            slot.LastUsedMs = NowMs();
            return true;
        }

        Interlocked.Increment(ref _validationFailures);
        await RetireAsync(slot, token, SlotState.Leased).ConfigureAwait(false);
        return false;
    }

    private bool Validated(PoolSlot<TConnection, TPolicy> slot, int token, bool valid)
    {
        if (valid)
        {
            slot.LastUsedMs = NowMs();
            return true;
        }

        Interlocked.Increment(ref _validationFailures);
        Retire(slot, token, SlotState.Leased);
        return false;
    }

    /// <summary>A connection handed to a waiter gets the same checks as one taken from the idle set.</summary>
    private bool AcceptHandedOff(PoolHandle<TConnection, TPolicy> handle) =>
        AcceptIdle(handle.Slot!, handle.Token) && Lent(handle);

    private async ValueTask<bool> AcceptHandedOffAsync(PoolHandle<TConnection, TPolicy> handle, CancellationToken cancellationToken) =>
        await AcceptIdleAsync(handle.Slot!, handle.Token, cancellationToken).ConfigureAwait(false) && Lent(handle);

    private static bool Lent(PoolHandle<TConnection, TPolicy> handle)
    {
        handle.Slot!.Rents++;
        return true;
    }

    private int RemainingMs(long startMs, int timeoutMs)
    {
        if (timeoutMs == Timeout.Infinite)
        {
            return Timeout.Infinite;
        }

        long remaining = startMs + timeoutMs - NowMs();
        return remaining <= 0 ? 0 : (int)remaining;
    }

    private PoolTimeoutException CreateTimeoutException(long startMs)
    {
        Interlocked.Increment(ref _timeouts);
        PoolStats stats = GetStats();
        return new PoolTimeoutException(
            Name,
            TimeSpan.FromMilliseconds(NowMs() - startMs),
            stats.Max,
            stats.Leased,
            stats.Idle,
            stats.Pending);
    }

    private int ToMilliseconds(TimeSpan timeout)
    {
        double ms = timeout.TotalMilliseconds;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.Infinite;
        }

        if (ms < 0 || ms > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout),
                timeout,
                $"Pool '{Name}': a rent timeout must be between 0 and {int.MaxValue} ms, or Timeout.InfiniteTimeSpan.");
        }

        return (int)ms;
    }
}
