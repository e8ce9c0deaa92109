using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Claims room for one more connection if the pool is below Max and fewer than MaxConcurrentOpens are being
    /// opened; the caller must then open one.
    /// </summary>
    private bool TryReserve()
    {
        if (_maxConcurrentOpens != 0 && !TryClaimOpen())
        {
            return false;
        }

        while (true)
        {
            int reserved = Volatile.Read(ref _reserved);
            if (reserved >= Volatile.Read(ref _max) || Volatile.Read(ref _disposed) != 0)
            {
                if (_maxConcurrentOpens != 0)
                {
                    Interlocked.Decrement(ref _opening);
                }

                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                // Every reservation is followed by an open: count it as opening from here, so Total never includes it.
                if (_maxConcurrentOpens == 0)
                {
                    Interlocked.Increment(ref _opening);
                }

                return true;
            }
        }
    }

    /// <summary>
    /// With MaxConcurrentOpens set, an open is counted before room is claimed, so that the limit holds exactly however
    /// many threads reserve at once.
    /// </summary>
    private bool TryClaimOpen()
    {
        while (true)
        {
            int opening = Volatile.Read(ref _opening);
            if (opening >= _maxConcurrentOpens)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _opening, opening + 1, opening) == opening)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Gives back room claimed by <see cref="TryReserve"/> or held by a closed connection. The decrement is a full
    /// fence, so a rent that queued earlier is seen and gets a new connection opened for it.
    /// </summary>
    private void Unreserve()
    {
        int reserved = Interlocked.Decrement(ref _reserved);
        if (Volatile.Read(ref _disposed) != 0)
        {
            if (reserved == 0)
            {
                _drained.TrySetResult();
            }

            return;
        }

        if (Volatile.Read(ref _waiting) != 0)
        {
            ServeWaiters();
        }
    }

    /// <summary>
    /// Opens a connection on the calling thread for a rent that reserved room, retrying with back-off within the
    /// rent's timeout; it is lent at once.
    /// </summary>
    private TLease OpenLeased(long startMs, int timeoutMs)
    {
        for (int attempt = 1; ; attempt++)
        {
            TConnection connection;
            try
            {
                connection = _policy.Create();
            }
            catch (Exception failure)
            {
                int delayMs = NextRetryDelay(failure, attempt, startMs, timeoutMs);
                Thread.Sleep(delayMs);
                continue;
            }

            return LendNew(connection);
        }
    }

    private async ValueTask<TLease> OpenLeasedAsync(long startMs, int timeoutMs, CancellationToken cancellationToken) =>
        LendNew(await OpenAsync(startMs, timeoutMs, cancellationToken).ConfigureAwait(false));

    private TLease LendNew(TConnection connection)
    {
        (PoolSlot<TConnection, TLease, TPolicy> slot, int token) = Install(connection);
        Volatile.Write(ref slot.Word, SlotState.Pack(token, SlotState.Leased));
        if (_maxConcurrentOpens != 0 && Volatile.Read(ref _waiting) != 0)
        {
            // This open may have been the one that held waiters back from opening their own.
            ServeWaiters();
        }

        return Lend(slot, token);
    }

    /// <summary>Opens a connection and adds it to the idle set; used by warm-up, maintenance and to serve waiters.</summary>
    private async Task OpenIdleAsync(CancellationToken cancellationToken)
    {
        TConnection connection = await OpenAsync(PreciseNowMs(), Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        (PoolSlot<TConnection, TLease, TPolicy> slot, int token) = Install(connection);
        MakeIdle(slot, token, NowMs());
    }

    /// <summary>
    /// Calls the factory for room already reserved, retrying with back-off; when it gives up (attempts spent, the
    /// deadline near, or canceled) the room is given back.
    /// </summary>
    private async ValueTask<TConnection> OpenAsync(long startMs, int timeoutMs, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            int delayMs;
            try
            {
                return await _policy.CreateAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                OpenAbandoned();
                throw;
            }
            catch (Exception failure)
            {
                delayMs = NextRetryDelay(failure, attempt, startMs, timeoutMs);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                OpenAbandoned();
                throw;
            }
        }
    }

    /// <summary>
    /// Counts a failed open and says how long to wait before the next attempt: <see cref="_retryDelayMs"/>, doubled
    /// for each retry already made, up to <see cref="PoolDefaults.MaxRetryDelayMs"/>. When no attempt is left, or the
    /// wait would run past the rent's deadline, it gives the room back and throws <see cref="PoolConnectionException"/>.
    /// </summary>
    private int NextRetryDelay(Exception failure, int attempt, long startMs, int timeoutMs)
    {
        Interlocked.Increment(ref _createFailures);
        RecordOpenFailed(failure);
        int delayMs = (int)Math.Min((long)_retryDelayMs << Math.Min(attempt - 1, 20), PoolDefaults.MaxRetryDelayMs);
        long elapsedMs = PreciseNowMs() - startMs;
        bool pastDeadline = timeoutMs != Timeout.Infinite && elapsedMs + delayMs >= timeoutMs;
        if (attempt > _maxRetryAttempts || pastDeadline)
        {
            PoolLog.OpenFailed(_logger, Name, attempt, failure);
            var gaveUp = new PoolConnectionException(Name, attempt, TimeSpan.FromMilliseconds(elapsedMs), failure);

            // Before the room is given back, or the waiters would be handed another open doomed like this one.
            FailWaitersAfterOpenFailure(gaveUp, openWasForOldest: false);
            OpenAbandoned();
            throw gaveUp;
        }

        PoolLog.OpenRetrying(_logger, Name, attempt, delayMs, failure);
        return delayMs;
    }

    private void OpenAbandoned()
    {
        Interlocked.Decrement(ref _opening);
        Unreserve();
    }

    /// <summary>
    /// Puts a freshly opened connection into an empty slot, which the caller then owns as <see cref="SlotState.Busy"/>.
    /// Room was reserved, so an empty slot exists; the loop only covers a concurrent <see cref="Resize"/> that
    /// replaced the slot array under us.
    /// </summary>
    private (PoolSlot<TConnection, TLease, TPolicy> Slot, int Token) Install(TConnection connection)
    {
        long nowMs = NowMs();
        while (true)
        {
            PoolSlot<TConnection, TLease, TPolicy>[] slots = Volatile.Read(ref _slots);
            for (int i = 0; i < slots.Length; i++)
            {
                PoolSlot<TConnection, TLease, TPolicy> slot = slots[i];
                long word = Volatile.Read(ref slot.Word);
                if (SlotState.StateOf(word) != SlotState.Empty
                    || Interlocked.CompareExchange(ref slot.Word, word + (SlotState.Busy - SlotState.Empty), word) != word)
                {
                    continue;
                }

                slot.Connection = connection;
                slot.LastUsedMs = nowMs;
                slot.ExpiresAtMs = ExpiryFor(nowMs);
                slot.Generation = Volatile.Read(ref _generation);
                RaiseScanLimit(i + 1);
                Interlocked.Decrement(ref _opening);
                Interlocked.Increment(ref _created);
                RecordOpenSucceeded();
                EnsureMaintenance();
                return (slot, SlotState.TokenOf(word));
            }
        }
    }

    /// <summary>
    /// When a connection opened now must be retired: its lifetime shortened by a random share of the jitter, so a
    /// pool filled at once does not expire at once.
    /// </summary>
    private long ExpiryFor(long nowMs)
    {
        if (_maxLifetimeMs == 0)
        {
            return long.MaxValue;
        }

        double jitterMs = _maxLifetimeMs * _lifetimeJitterPercent / 100 * Random.Shared.NextDouble();
        return nowMs + _maxLifetimeMs - (long)jitterMs;
    }

    private void RaiseScanLimit(int limit)
    {
        int current;
        while ((current = Volatile.Read(ref _scanLimit)) < limit)
        {
            Interlocked.CompareExchange(ref _scanLimit, limit, current);
        }
    }
}
