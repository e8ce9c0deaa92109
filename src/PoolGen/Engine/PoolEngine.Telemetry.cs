using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PoolGen;

/// <summary>
/// Where the engine reports to metrics, traces and the stats callback. The hot path pays one check of a histogram's
/// <see cref="Instrument.Enabled"/> per rent and one field read per return while no listener records; everything else
/// here runs on slow paths or when a listener collects.
/// </summary>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy> : IPoolReadings
{
    private readonly PoolMetrics _metrics;

    // The two histograms a rent or a return may record, as fields of the engine: checking whether one is enabled then
    // costs no load of the metrics object.
    private readonly Histogram<double> _waitTime;
    private readonly Histogram<double> _useTime;

    private ITimer? _statsTimer;

    PoolCounters IPoolReadings.Counters => _counters;

    int IPoolReadings.Pending => _queue.Count;

    int IPoolReadings.Min => _table.Min;

    int IPoolReadings.Max => _table.Max;

    long IPoolReadings.Rents => _table.Count().Rents;

    void IPoolReadings.CountConnections(out int idle, out int used)
    {
        SlotCounts slots = _table.Count();
        (idle, used) = (slots.Idle, slots.Used);
    }

    /// <summary>A rent served at once from the idle set: it waited for nothing, so it records a wait of 0 without reading a clock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordServedAtOnce()
    {
        if (_waitTime.Enabled)
        {
            _metrics.Record(_waitTime, 0);
        }
    }

    /// <summary>Whether a rent that could not be served at once should be timed or traced.</summary>
    private bool ObservesSlowRents => _waitTime.Enabled || PoolTracing.Source.HasListeners();

    /// <summary>Records the wait of a rent that started at <paramref name="startedTimestamp"/> on the pool's clock.</summary>
    private void RecordWaitSince(long startedTimestamp) =>
        _metrics.Record(_waitTime, _settings.Time.GetElapsedTime(startedTimestamp).TotalSeconds);

    /// <summary>Stamps a lease with the time it was lent while use time is recorded; the return finds the stamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StampLent(PoolSlot<TConnection, TLease, TPolicy> slot)
    {
        if (_useTime.Enabled)
        {
            slot.LentAtTimestamp = _settings.Time.GetTimestamp();
        }
    }

    /// <summary>Records how long a lease was held, by the current lease only (the caller has checked it owns the slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordUse(PoolSlot<TConnection, TLease, TPolicy> slot)
    {
        if (slot.LentAtTimestamp != 0)
        {
            RecordUseSlow(slot);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordUseSlow(PoolSlot<TConnection, TLease, TPolicy> slot)
    {
        _metrics.Record(_useTime, _settings.Time.GetElapsedTime(slot.LentAtTimestamp).TotalSeconds);
        slot.LentAtTimestamp = 0;
    }

    /// <summary>Records a connection the pool closed: its lifetime and the log line with the reason.</summary>
    private void RecordClosed(PoolSlot<TConnection, TLease, TPolicy> slot, CloseReason reason)
    {
        slot.LentAtTimestamp = 0;
        long lifetimeMs = NowMs() - slot.OpenedAtMs;
        if (_metrics.Lifetime.Enabled)
        {
            _metrics.Record(_metrics.Lifetime, lifetimeMs / 1000.0);
        }

        PoolLog.ConnectionClosed(_settings.Logger, Name, lifetimeMs, CloseReasons.Sentence(reason));
    }

    /// <summary>Ends the span and the timing of one factory call.</summary>
    private void RecordOpenAttempt(Activity? activity, long startedTimestamp, bool created, Exception? failure)
    {
        if (created)
        {
            TimeSpan elapsed = _settings.Time.GetElapsedTime(startedTimestamp);
            if (_metrics.CreateTime.Enabled)
            {
                _metrics.Record(_metrics.CreateTime, elapsed.TotalSeconds);
            }

            // Not installed yet: it is still counted as opening, so it is added here.
            PoolLog.ConnectionOpened(_settings.Logger, Name, (long)elapsed.TotalMilliseconds, _table.Reserved - _table.Opening + 1);
        }
        else if (failure is not null)
        {
            PoolTracing.Fail(activity, failure);
        }
        else
        {
            PoolTracing.Fail(activity, "timeout", "The rent's deadline or token came before the factory returned.");
        }

        activity?.Dispose();
    }

    /// <summary>Starts the stats callback's timer when the options ask for one.</summary>
    private void StartStatsTimer()
    {
        if (Options.OnStats is null)
        {
            return;
        }

        StartTimer(ref _statsTimer, static engine => engine.SendStats(), TimeSpan.FromMilliseconds(Options.StatsIntervalMs));
    }

    private void StopStatsTimer() => Interlocked.Exchange(ref _statsTimer, null)?.Dispose();

    /// <summary>Calls the user's OnStats with a snapshot; an exception it throws is logged and counted, never lost.</summary>
    private void SendStats()
    {
        try
        {
            Options.OnStats?.Invoke(GetStats());
        }
        catch (Exception exception)
        {
            UserCodeFailed(_failureLogs.OnStats, exception);
        }
    }
}
