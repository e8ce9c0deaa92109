using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Completed when the pool is disposed and its last connection has been closed.</summary>
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Opens connections, in parallel (at most MaxConcurrentOpens at a time when it is set), until the pool holds Min;
    /// the first open failure is rethrown.
    /// </summary>
    public async ValueTask WarmUpAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();

        // Count the missing connections once: a failed open gives its room back at once, and re-reading the count
        // would retry it in a tight loop for as long as the database is down.
        int missing = _table.Min - _table.Reserved;
        if (missing <= 0)
        {
            return;
        }

        var remaining = new StrongBox<int>(missing);
        int workers = Options.MaxConcurrentOpens == 0 ? missing : Math.Min(missing, Options.MaxConcurrentOpens);
        var opens = new List<Task>(workers);
        for (int i = 0; i < workers; i++)
        {
            opens.Add(WarmUpWorkerAsync(remaining, cancellationToken));
        }

        await Task.WhenAll(opens).ConfigureAwait(false);
    }

    /// <summary>Opens connections one after another while warm-up still misses some and the pool has room.</summary>
    private async Task WarmUpWorkerAsync(StrongBox<int> remaining, CancellationToken cancellationToken)
    {
        while (Interlocked.Decrement(ref remaining.Value) >= 0 && TryReserve())
        {
            await OpenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes every idle connection now, on the calling thread, and marks the leased ones to be closed when they are
    /// returned. Rents after this get connections opened after it.
    /// </summary>
    public void Clear()
    {
        _table.NewGeneration();
        CloseIdle(CloseReason.Clear);
    }

    /// <summary>Changes Min and Max at runtime. Raising Max serves waiting rents at once; lowering it closes the excess as it becomes idle.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of range; the message names the pool.</exception>
    public void Resize(int min, int max)
    {
        PoolLimits.CheckSizes(Name, min, max);
        ThrowIfDisposed();
        lock (_queue.Lock)
        {
            _table.Resize(this, min, max);
        }

        CloseExcessIdle();
        ServeWaiters();
    }

    /// <summary>
    /// Shuts the pool down: new rents throw <see cref="ObjectDisposedException"/>, waiting rents are released with it,
    /// idle connections are closed now and leased ones when they are returned.
    /// </summary>
    public void Dispose()
    {
        if (BeginShutdown())
        {
            CloseIdle(CloseReason.Shutdown);
            EndShutdown();
        }
    }

    /// <summary>
    /// Shuts the pool down like <see cref="Dispose"/>, then waits up to the pool's shutdown timeout for leased
    /// connections to come back and be closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginShutdown())
        {
            return;
        }

        await CloseIdleAsync(CloseReason.Shutdown).ConfigureAwait(false);
        if (_table.Reserved == 0)
        {
            _drained.TrySetResult();
            EndShutdown();
            return;
        }

        int leased = GetStats().Leased;
        if (leased > 0)
        {
            PoolLog.ShutdownWaiting(_settings.Logger, Name, Options.ShutdownTimeoutMs, leased,
                _leaks?.DescribeRentSites(_table.Slots) ?? " Set LeakThresholdMs to log where each lease was rented.");
        }

        try
        {
            await _drained.Task.WaitAsync(TimeSpan.FromMilliseconds(Options.ShutdownTimeoutMs), _settings.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Leases still out after the shutdown timeout are closed whenever they come back; the owner is not held up.
            PoolLog.ShutdownForced(_settings.Logger, Name, Options.ShutdownTimeoutMs, GetStats().Leased);
        }

        EndShutdown();
    }

    /// <summary>Logs the end of a shutdown and stops the pool's metrics, which have nothing more to report.</summary>
    private void EndShutdown()
    {
        PoolLog.ShutdownCompleted(_settings.Logger, Name, _counters.Closed, GetStats().Leased);
        _metrics.Dispose();
    }

    private bool BeginShutdown()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        StopMaintenance();
        StopStatsTimer();
        FailAllWaiters();
        _failureLogs.Flush(PreciseNowMs(), force: true);
        return true;
    }

    /// <summary>Closes every idle connection on the calling thread (outside any lock).</summary>
    private void CloseIdle(CloseReason reason)
    {
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in _table.Slots)
        {
            if (_table.TryTakeForEngine(slot, out int token))
            {
                Retire(slot, token, SlotState.Busy, reason);
            }
        }
    }

    private async ValueTask CloseIdleAsync(CloseReason reason)
    {
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in _table.Slots)
        {
            if (_table.TryTakeForEngine(slot, out int token))
            {
                await RetireAsync(slot, token, SlotState.Busy, reason).ConfigureAwait(false);
            }
        }
    }

    /// <summary>After Max was lowered: closes idle connections until the pool fits, highest slots first.</summary>
    private void CloseExcessIdle()
    {
        PoolSlot<TConnection, TLease, TPolicy>[] slots = _table.Slots;
        for (int i = slots.Length - 1; i >= 0 && _table.Reserved > _table.Max; i--)
        {
            if (_table.TryTakeForEngine(slots[i], out int token))
            {
                Retire(slots[i], token, SlotState.Busy, CloseReason.Resize);
            }
        }
    }
}
