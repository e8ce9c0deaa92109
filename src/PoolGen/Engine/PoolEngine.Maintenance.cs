using System;
using System.Threading;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly TimerCallback s_maintenanceTick = static state =>
    {
        var reference = (WeakReference<PoolEngine<TConnection, TLease, TPolicy>>)state!;
        if (reference.TryGetTarget(out PoolEngine<TConnection, TLease, TPolicy>? engine))
        {
            engine.RunMaintenance();
        }
    };

    private ITimer? _maintenanceTimer;
    private int _maintenanceRunning;

    /// <summary>How often maintenance runs: often enough to honour the shortest idle or lifetime limit, at most every 30 s.</summary>
    private int MaintenanceIntervalMs
    {
        get
        {
            int shortest = Math.Min(
                _idleTimeoutMs == 0 ? int.MaxValue : _idleTimeoutMs,
                _maxLifetimeMs == 0 ? int.MaxValue : _maxLifetimeMs);
            return Math.Clamp(shortest / 2, 100, 30_000);
        }
    }

    /// <summary>Starts the maintenance timer with the pool's first connection; a pool that never opens one costs nothing.</summary>
    private void EnsureMaintenance()
    {
        if (Volatile.Read(ref _maintenanceTimer) is not null)
        {
            return;
        }

        ITimer timer;

        // The timer holds the engine weakly, so a pool its owner forgot to dispose can still be collected; and it must
        // not capture the execution context of whichever rent opened the first connection.
        using (ExecutionContext.SuppressFlow())
        {
            TimeSpan interval = TimeSpan.FromMilliseconds(MaintenanceIntervalMs);
            timer = _time.CreateTimer(s_maintenanceTick, new WeakReference<PoolEngine<TConnection, TLease, TPolicy>>(this), interval, interval);
        }

        if (Interlocked.CompareExchange(ref _maintenanceTimer, timer, null) is not null || Volatile.Read(ref _disposed) != 0)
        {
            timer.Dispose();
        }
    }

    private void StopMaintenance() => Interlocked.Exchange(ref _maintenanceTimer, null)?.Dispose();

    /// <summary>
    /// One maintenance pass: closes connections past their lifetime, prunes idle ones past the idle timeout (at most
    /// half of those above Min, so a pool sized for a burst shrinks over a few passes), then refills to Min.
    /// </summary>
    internal void RunMaintenance()
    {
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.Exchange(ref _maintenanceRunning, 1) != 0)
        {
            return;
        }

        try
        {
            RetireExpiredIdle();
            PruneIdle();
            RefillToMin();
        }
        finally
        {
            Volatile.Write(ref _maintenanceRunning, 0);
        }
    }

    private void RetireExpiredIdle()
    {
        long nowMs = NowMs();
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Volatile.Read(ref _slots))
        {
            if (slot.State == SlotState.Idle && nowMs >= slot.ExpiresAtMs && TryTakeForEngine(slot, out int token))
            {
                Retire(slot, token, SlotState.Busy);
            }
        }
    }

    private void PruneIdle()
    {
        if (_idleTimeoutMs == 0)
        {
            return;
        }

        int aboveMin = Volatile.Read(ref _reserved) - Volatile.Read(ref _min);
        int budget = (aboveMin + 1) / 2;
        long nowMs = NowMs();
        PoolSlot<TConnection, TLease, TPolicy>[] slots = Volatile.Read(ref _slots);

        // Highest slots first: rents take the lowest idle slot, so the high ones are the ones that have gone cold.
        for (int i = slots.Length - 1; i >= 0 && budget > 0; i--)
        {
            PoolSlot<TConnection, TLease, TPolicy> slot = slots[i];
            if (slot.State == SlotState.Idle
                && nowMs - slot.LastUsedMs >= _idleTimeoutMs
                && Volatile.Read(ref _reserved) > Volatile.Read(ref _min)
                && TryTakeForEngine(slot, out int token))
            {
                Retire(slot, token, SlotState.Busy);
                budget--;
            }
        }
    }

    private void RefillToMin()
    {
        // As in WarmUpAsync: one attempt per missing connection per pass, however fast the opens fail.
        int missing = Volatile.Read(ref _min) - Volatile.Read(ref _reserved);
        for (int i = 0; i < missing && TryReserve(); i++)
        {
            _ = RefillOneAsync();
        }
    }

    private async System.Threading.Tasks.Task RefillOneAsync()
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
