using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>How many recent opens the failure rate looks at.</summary>
    private const int RecentOpensWindow = 20;

    /// <summary>How long the oldest rent must have waited, with every connection leased, for the pool to count as exhausted.</summary>
    private const int ExhaustedAfterMs = 1_000;

    /// <summary>Guards the health record below; taken once per open, check or health report, never on the hot path.</summary>
    private readonly object _healthLock = new();

    private DateTimeOffset? _lastCheck;
    private TimeSpan _checkDuration;
    private Exception? _lastCheckFailure;
    private int _consecutiveFailures;
    private DateTimeOffset? _lastFailureAt;
    private Exception? _lastFailure;

    /// <summary>The outcomes of the latest opens, newest in the lowest bit: 1 for a failure.</summary>
    private uint _recentOpens;
    private int _recentOpenCount;

    /// <summary>
    /// Reports the pool's health from what it knows now, without any I/O: its gauges, its latest check and its recent
    /// opens.
    /// </summary>
    public PoolHealth GetHealth()
    {
        PoolStats stats = GetStats();
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset? lastCheck, lastFailureAt;
        TimeSpan checkDuration;
        Exception? lastCheckFailure, lastFailure;
        int consecutiveFailures, recentFailures, recentOpens;
        lock (_healthLock)
        {
            lastCheck = _lastCheck;
            checkDuration = _checkDuration;
            lastCheckFailure = _lastCheckFailure;
            consecutiveFailures = _consecutiveFailures;
            lastFailureAt = _lastFailureAt;
            lastFailure = _lastFailure;
            recentOpens = Math.Min(_recentOpenCount, RecentOpensWindow);
            recentFailures = BitOperations.PopCount(_recentOpens & ((1u << recentOpens) - 1));
        }

        if (_configurationError is { } error)
        {
            unhealthy.Add($"Its options are invalid, so it serves no rents: {error.Message}");
        }
        else if (Volatile.Read(ref _disposed) != 0)
        {
            unhealthy.Add("It has been disposed, so it serves no rents.");
        }

        if (consecutiveFailures > 0)
        {
            string failures = $"the last {Count(consecutiveFailures, "attempt")} to open a connection failed, the latest " +
                $"{Ago(now, lastFailureAt)} with {Describe(lastFailure)}";
            if (stats.Total == 0)
            {
                unhealthy.Add($"No connection is open and {failures}.");
            }
            else
            {
                degraded.Add($"{Capitalize(failures)}; {Count(stats.Total, "connection")} still open.");
            }
        }
        else if (recentOpens >= 4 && recentFailures * 2 >= recentOpens)
        {
            degraded.Add($"High creation failure rate: {recentFailures} of the last {recentOpens} opens failed, the latest " +
                $"{Ago(now, lastFailureAt)} with {Describe(lastFailure)}.");
        }

        if (lastCheckFailure is not null && lastCheckFailure is not PoolConnectionException)
        {
            unhealthy.Add($"The latest health check failed with {Describe(lastCheckFailure)}.");
        }

        // A saturated pool whose waits are short is merely busy; exhaustion is worth reporting once rents queue for a while.
        long oldestWaitMs = OldestWaitMs();
        int longWaitMs = Math.Max(100, _acquireTimeoutMs / 2);
        if (stats.Pending > 0 && stats.Leased >= stats.Max && oldestWaitMs >= Math.Min(ExhaustedAfterMs, longWaitMs))
        {
            degraded.Add($"Exhausted: all {stats.Max} connections are leased and {Count(stats.Pending, "rent")} waiting; " +
                "raise Max, hold leases for less time, or look for leaks.");
        }

        if (oldestWaitMs >= longWaitMs)
        {
            degraded.Add($"Long waits: the oldest of {Count(stats.Pending, "waiting rent")} has waited {Number(oldestWaitMs)} ms " +
                $"(AcquireTimeoutMs is {Number(_acquireTimeoutMs)}).");
        }

        int held = CountLeasesHeldTooLong(out long longestMs);
        if (held > 0)
        {
            degraded.Add($"Leaks suspected: {Count(held, "lease")} held longer than LeakThresholdMs ({Number(_leakThresholdMs)} ms), " +
                $"the longest for {Number(longestMs)} ms; the log names where each was rented.");
        }

        PoolHealthStatus status = unhealthy.Count > 0 ? PoolHealthStatus.Unhealthy
            : degraded.Count > 0 ? PoolHealthStatus.Degraded
            : PoolHealthStatus.Healthy;
        // The worst first.
        var issues = new List<string>(unhealthy.Count + degraded.Count);
        issues.AddRange(unhealthy);
        issues.AddRange(degraded);
        return new PoolHealth(
            status,
            issues.AsReadOnly(),
            stats,
            lastCheck,
            checkDuration,
            consecutiveFailures,
            lastFailureAt,
            lastFailure is null ? null : Describe(lastFailure));
    }

    /// <summary>
    /// Checks the pool by using a connection: an idle one is validated, whatever its age; with none idle and room to
    /// spare, one is opened. A pool whose connections are all leased is not probed (it is in use). Then reports the
    /// pool's health, this check included.
    /// </summary>
    public async ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        Exception? failure = null;
        try
        {
            await ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        RecordCheck(started, failure);
        return GetHealth();
    }

    private async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Volatile.Read(ref _slots))
        {
            if (!TryTakeForEngine(slot, out int token))
            {
                continue;
            }

            bool usable;
            try
            {
                usable = slot.Generation == Volatile.Read(ref _generation)
                    && (!_policy.HasValidate || await ValidateCountedAsync(slot.Connection!, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                PublishIdle(slot, token);
                throw;
            }

            if (usable)
            {
                PublishIdle(slot, token);
                return;
            }

            // A dead connection found by the check is replaced like one found by a rent; look at the next.
            await RetireAsync(slot, token, SlotState.Busy).ConfigureAwait(false);
        }

        if (Volatile.Read(ref _waiting) == 0 && TryReserve())
        {
            await OpenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the end of a maintenance pass or health check.</summary>
    private void RecordCheck(long startedTimestamp, Exception? failure)
    {
        TimeSpan duration = _time.GetElapsedTime(startedTimestamp);
        DateTimeOffset now = _time.GetUtcNow();
        lock (_healthLock)
        {
            _lastCheck = now;
            _checkDuration = duration;
            _lastCheckFailure = failure;

            // A failed open has already been counted by the open itself.
            if (failure is not null and not PoolConnectionException)
            {
                _consecutiveFailures++;
                _lastFailure = failure;
                _lastFailureAt = now;
            }
        }
    }

    private void RecordOpenSucceeded()
    {
        lock (_healthLock)
        {
            _consecutiveFailures = 0;
            RecordOpenOutcome(failed: false);
        }
    }

    private void RecordOpenFailed(Exception failure)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_healthLock)
        {
            _consecutiveFailures++;
            _lastFailure = failure;
            _lastFailureAt = now;
            RecordOpenOutcome(failed: true);
        }
    }

    private void RecordOpenOutcome(bool failed)
    {
        _recentOpens = (_recentOpens << 1) | (failed ? 1u : 0u);
        _recentOpenCount = Math.Min(_recentOpenCount + 1, RecentOpensWindow);
    }

    /// <summary>The error of the pool's latest open, if that open failed; timeouts quote it.</summary>
    private Exception? LatestOpenFailure()
    {
        lock (_healthLock)
        {
            return _consecutiveFailures > 0 ? _lastFailure : null;
        }
    }

    private long OldestWaitMs()
    {
        long startMs;
        lock (_queueLock)
        {
            if (_head is null)
            {
                return 0;
            }

            startMs = _head.StartMs;
        }

        return PreciseNowMs() - startMs;
    }

    private static string Describe(Exception? exception) =>
        exception is null ? "an unknown error" : $"{exception.GetType().Name}: {exception.Message}";

    private static string Ago(DateTimeOffset now, DateTimeOffset? then) =>
        then is { } at ? $"{Number((long)Math.Max(0, (now - at).TotalMilliseconds))} ms ago" : "at an unknown time";

    private static string Count(int count, string noun) => $"{Number(count)} {noun}{(count == 1 ? "" : "s")}";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
