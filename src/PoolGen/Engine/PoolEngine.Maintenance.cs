using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private ITimer? _maintenanceTimer;
    private int _maintenanceRunning;

    /// <summary>When the next full maintenance pass is due, in the engine's milliseconds; ticks in between only look for leaks.</summary>
    private long _nextPassMs;

    /// <summary>
    /// How often the maintenance timer ticks: every HealthCheckIntervalMs; often enough to report a leak soon after it
    /// passes the leak threshold; and often enough to retire expired connections one by one across the lifetime jitter
    /// window rather than in one batch. 0 when there is nothing to do.
    /// </summary>
    private int TickIntervalMs
    {
        get
        {
            int between = ShortestNonZero(LeakTickMs, LifetimeTickMs);
            if (Options.HealthCheckIntervalMs == 0 || between == 0 || between >= Options.HealthCheckIntervalMs)
            {
                return ShortestNonZero(Options.HealthCheckIntervalMs, between);
            }

            // A whole number of ticks per pass, so that full passes keep exactly their interval.
            return Options.HealthCheckIntervalMs / (int)Math.Ceiling((double)Options.HealthCheckIntervalMs / between);
        }
    }

    private int LeakTickMs => _settings.LeakThresholdMs == 0 ? 0 : Math.Clamp(_settings.LeakThresholdMs / 4, 10, 30_000);

    /// <summary>A twentieth of the window over which jitter spreads expiries; 0 without a lifetime or jitter.</summary>
    private int LifetimeTickMs
    {
        get
        {
            double windowMs = Options.MaxLifetimeMs * Options.LifetimeJitterPercent / 100;
            return windowMs < 1 ? 0 : (int)Math.Clamp(windowMs / 20, 10, 30_000);
        }
    }

    private static int ShortestNonZero(int a, int b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);

    /// <summary>Starts the maintenance timer with the pool's first connection; a pool that never opens one costs nothing.</summary>
    private void EnsureMaintenance()
    {
        if (Volatile.Read(ref _maintenanceTimer) is not null || TickIntervalMs == 0)
        {
            return;
        }

        _nextPassMs = PreciseNowMs() + Options.HealthCheckIntervalMs;
        StartTimer(ref _maintenanceTimer, static engine => engine.RunMaintenance(), TimeSpan.FromMilliseconds(TickIntervalMs));
    }

    private void StopMaintenance() => Interlocked.Exchange(ref _maintenanceTimer, null)?.Dispose();

    /// <summary>
    /// One tick: reports leaks, and when a full pass is due, runs it. A tick that finds the previous pass still running
    /// (a slow validation) skips, so passes never pile up.
    /// </summary>
    internal void RunMaintenance()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _maintenanceRunning, 1) != 0)
        {
            return;
        }

        if (_settings.LeakThresholdMs != 0)
        {
            _leaks?.Report(_table.Slots, NowMs());
        }

        _failureLogs.Flush(PreciseNowMs());

        // The exact clock, and half a tick of slack: a tick that fires a moment early, or reads a lagging clock, must
        // not skip the pass and double the interval.
        long nowMs = PreciseNowMs();
        if (Options.HealthCheckIntervalMs != 0 && nowMs + TickIntervalMs / 2 >= _nextPassMs)
        {
            _nextPassMs = nowMs + Options.HealthCheckIntervalMs;
            _ = MaintainAsync();
            return;
        }

        // Between passes, connections whose jittered expiry came are retired as it comes, and replaced.
        if (LifetimeTickMs != 0 && RetireExpiredIdle() > 0)
        {
            RefillToMin();
        }

        Volatile.Write(ref _maintenanceRunning, 0);
    }

    /// <summary>
    /// A full pass: closes connections past their lifetime, prunes idle ones past the idle timeout (at most half of
    /// those above Min, so a pool sized for a burst shrinks over a few passes), validates the remaining idle ones, then
    /// refills to Min. User code runs outside any lock, and asynchronous validators do not hold a thread.
    /// </summary>
    private async Task MaintainAsync()
    {
        long started = _settings.Time.GetTimestamp();
        Exception? failure = null;
        try
        {
            RetireExpiredIdle();
            PruneIdle();
            if (_settings.ValidateOnIdle)
            {
                await ValidateIdleAsync().ConfigureAwait(false);
            }

            if (RefillToMin() == 0 && _health.ConsecutiveFailures > 0)
            {
                await ProbeAfterFailuresAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Nothing above should throw; if something does, health reports it rather than the timer thread dying.
            failure = exception;
        }
        finally
        {
            Volatile.Write(ref _maintenanceRunning, 0);
        }

        RecordCheck(started, failure);
    }

    /// <summary>
    /// Validates each idle connection not used within ValidateAfterIdleMs (one used more recently has just proved
    /// itself), so a connection the server or a firewall dropped is replaced before a rent finds it.
    /// </summary>
    private async Task ValidateIdleAsync()
    {
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in _table.Slots)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            if (slot.State != SlotState.Idle
                || NowMs() - slot.LastUsedMs < _settings.ValidateAfterIdleMs
                || !_table.TryTakeForEngine(slot, out int token))
            {
                continue;
            }

            if (await ValidateCountedAsync(slot.Connection!, CancellationToken.None).ConfigureAwait(false))
            {
                PublishIdle(slot, token);
            }
            else
            {
                await RetireAsync(slot, token, SlotState.Busy, CloseReason.Validation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Closes the idle connections past their expiry; returns how many.</summary>
    private int RetireExpiredIdle()
    {
        int retired = 0;
        long nowMs = NowMs();
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in _table.Slots)
        {
            if (slot.State == SlotState.Idle && nowMs >= slot.ExpiresAtMs && _table.TryTakeForEngine(slot, out int token))
            {
                Retire(slot, token, SlotState.Busy, CloseReason.Lifetime);
                retired++;
            }
        }

        return retired;
    }

    private void PruneIdle()
    {
        if (Options.IdleTimeoutMs == 0)
        {
            return;
        }

        int aboveMin = _table.Reserved - KeepOpen;
        int budget = (aboveMin + 1) / 2;
        long nowMs = NowMs();
        PoolSlot<TConnection, TLease, TPolicy>[] slots = _table.Slots;

        // Highest slots first: rents take the lowest idle slot, so the high ones are the ones that have gone cold.
        for (int i = slots.Length - 1; i >= 0 && budget > 0; i--)
        {
            PoolSlot<TConnection, TLease, TPolicy> slot = slots[i];
            if (slot.State == SlotState.Idle
                && nowMs - slot.LastUsedMs >= Options.IdleTimeoutMs
                && _table.Reserved > KeepOpen
                && _table.TryTakeForEngine(slot, out int token))
            {
                Retire(slot, token, SlotState.Busy, CloseReason.Idle);
                budget--;
            }
        }
    }

    /// <summary>Starts opens for the connections missing below Min; returns how many it started.</summary>
    private int RefillToMin()
    {
        // As in WarmUpAsync: one attempt per missing connection per pass, however fast the opens fail.
        int missing = KeepOpen - _table.Reserved;
        int started = 0;
        for (; started < missing && TryReserve(); started++)
        {
            _ = RefillOneAsync();
        }

        return started;
    }

    /// <summary>
    /// After failed opens, and with no refill under way to find out, one connection is used (an idle one validated, or
    /// one opened) so that a database that is back is seen as back within a pass, without waiting for a rent.
    /// </summary>
    private async Task ProbeAfterFailuresAsync()
    {
        try
        {
            await ProbeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Counted and recorded by the open or validation that failed; the next pass probes again.
        }
    }

    private async Task RefillOneAsync()
    {
        try
        {
            await OpenIdleAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Counted in CreateFailures by the open; the next pass tries again.
        }
    }
}
