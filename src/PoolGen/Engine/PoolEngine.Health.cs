using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>How long the oldest rent must have waited, with every connection leased, for the pool to count as exhausted.</summary>
    private const int ExhaustedAfterMs = 1_000;

    /// <summary>The window rates look at when maintenance passes are off.</summary>
    private const int DefaultHealthWindowMs = 60_000;

    private readonly HealthRecord _health = new();

    /// <summary>
    /// How far back failure rates look: two maintenance intervals, so a pool that works again is healthy again within
    /// two intervals, without any rent.
    /// </summary>
    private long HealthWindowMs => Options.HealthCheckIntervalMs == 0 ? DefaultHealthWindowMs : 2L * Options.HealthCheckIntervalMs;

    /// <summary>
    /// Reports the pool's health from what it knows now, without any I/O: its gauges, its latest check and its recent
    /// opens.
    /// </summary>
    public PoolHealth GetHealth()
    {
        PoolStats stats = GetStats();
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        DateTimeOffset now = _settings.Time.GetUtcNow();
        long windowMs = HealthWindowMs;
        HealthSnapshot record = _health.Read(PreciseNowMs(), windowMs);

        if (_configurationError is { } error)
        {
            unhealthy.Add($"Its options are invalid, so it serves no rents: {error.Message}");
        }
        else if (Volatile.Read(ref _disposed) != 0)
        {
            unhealthy.Add("It has been disposed, so it serves no rents.");
        }

        if (record.ConsecutiveFailures > 0)
        {
            string failures = $"the last {Count(record.ConsecutiveFailures, "attempt")} to open a connection failed, the latest " +
                $"{Ago(now, record.LastFailureAt)} with {Describe(record.LastFailure)}";
            if (stats.Total == 0)
            {
                unhealthy.Add($"No connection is open and {failures}.");
            }
            else
            {
                degraded.Add($"{Capitalize(failures)}; {Count(stats.Total, "connection")} still open.");
            }
        }
        else if (record.Opens >= 4 && record.OpenFailures * 2 >= record.Opens)
        {
            degraded.Add($"High creation failure rate: {record.OpenFailures} of the {record.Opens} opens in the last " +
                $"{Number(windowMs)} ms failed, the latest {Ago(now, record.LastFailureAt)} with {Describe(record.LastFailure)}.");
        }

        if (record.Validations >= 4 && record.ValidationFailures * 2 >= record.Validations)
        {
            string cause = record.LastValidationError is { } validationError ? $" with {Describe(validationError)}" : "";
            degraded.Add($"Validation is failing{cause}: {record.ValidationFailures} of the {record.Validations} validations in " +
                $"the last {Number(windowMs)} ms failed, so every rent that validates closes its connection and opens a new one.");
        }

        if (record.LastCheckFailure is { } checkFailure && checkFailure is not PoolConnectionException)
        {
            unhealthy.Add($"The latest health check failed with {Describe(checkFailure)}.");
        }

        // A saturated pool whose waits are short is merely busy; exhaustion is worth reporting once rents queue for a while.
        long oldestWaitMs = OldestWaitMs();
        int longWaitMs = Math.Max(100, _settings.AcquireTimeoutMs / 2);
        if (stats.Pending > 0 && stats.Leased >= stats.Max && oldestWaitMs >= Math.Min(ExhaustedAfterMs, longWaitMs))
        {
            degraded.Add($"Exhausted: all {stats.Max} connections are leased and {Count(stats.Pending, "rent")} waiting; " +
                "raise Max, hold leases for less time, or look for leaks.");
        }

        if (oldestWaitMs >= longWaitMs)
        {
            degraded.Add($"Long waits: the oldest of {Count(stats.Pending, "waiting rent")} has waited {Number(oldestWaitMs)} ms " +
                $"(AcquireTimeoutMs is {Number(_settings.AcquireTimeoutMs)}).");
        }

        int held = CountLeasesHeldTooLong(out long longestMs);
        if (held > 0 && held >= stats.Max && (stats.Pending > 0 || record.TimedOutInWindow))
        {
            unhealthy.Add($"Every connection ({Number(held)} of Max {Number(stats.Max)}) is held longer than LeakThresholdMs " +
                $"({Number(_settings.LeakThresholdMs)} ms) while rents time out, so the pool serves nothing; the longest has been held " +
                $"for {Number(longestMs)} ms. The log names where each was rented: dispose those leases.");
        }
        else if (held > 0)
        {
            degraded.Add($"Leaks suspected: {Count(held, "lease")} held longer than LeakThresholdMs ({Number(_settings.LeakThresholdMs)} ms), " +
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
            record.LastCheck,
            record.CheckDuration,
            record.ConsecutiveFailures,
            record.LastFailureAt,
            record.LastFailure is null ? null : Describe(record.LastFailure));
    }

    /// <summary>
    /// Checks the pool by using a connection: an idle one is validated, whatever its age; with none idle and room to
    /// spare, one is opened. A pool whose connections are all leased is not probed (it is in use). Then reports the
    /// pool's health, this check included.
    /// </summary>
    public async ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        long started = _settings.Time.GetTimestamp();
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
    private void RecordCheck(long startedTimestamp, Exception? failure) =>
        _health.Checked(_settings.Time.GetUtcNow(), _settings.Time.GetElapsedTime(startedTimestamp), failure);

    private void RecordOpenSucceeded() => _health.OpenSucceeded(PreciseNowMs());

    private void RecordOpenFailed(Exception failure) => _health.OpenFailed(failure, PreciseNowMs(), _settings.Time.GetUtcNow());

    private void RecordValidation(bool valid) => _health.Validated(valid, PreciseNowMs());

    private void RecordValidationError(Exception error) => _health.ValidationThrew(error);

    private void RecordTimeout() => _health.TimedOut(PreciseNowMs());

    /// <summary>The error of the pool's latest open, if that open failed; timeouts quote it.</summary>
    private Exception? LatestOpenFailure() => _health.LatestOpenFailure();

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
