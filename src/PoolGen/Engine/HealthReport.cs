using System;
using System.Collections.Generic;
using System.Globalization;

namespace PoolGen;

/// <summary>
/// Writes a pool's health report from what the pool knows: a pure function of its inputs, so each sentence and
/// threshold is tested without a pool. The engine gathers the inputs; this decides the status and words the issues.
/// </summary>
internal static class HealthReport
{
    /// <summary>How long the oldest rent must have waited, with every connection leased, for the pool to count as exhausted.</summary>
    public const int ExhaustedAfterMs = 1_000;

    /// <summary>What the report is written from.</summary>
    /// <param name="Stats">The pool's gauges and counters.</param>
    /// <param name="Record">The pool's recent history, with the rates of its window.</param>
    /// <param name="Now">The time of the report.</param>
    /// <param name="WindowMs">How far back the rates in <paramref name="Record"/> look.</param>
    /// <param name="ConfigurationError">Why the options were rejected, for a pool that serves nothing because of them.</param>
    /// <param name="Disposed">Whether the pool has been disposed.</param>
    /// <param name="OldestWaitMs">How long the oldest waiting rent has waited; 0 when none waits.</param>
    /// <param name="AcquireTimeoutMs">The pool's acquire timeout.</param>
    /// <param name="LeasesHeldTooLong">Leases held longer than the leak threshold right now.</param>
    /// <param name="LongestHeldMs">The longest of those holds.</param>
    /// <param name="LeakThresholdMs">The leak threshold; 0 when leak tracking is off.</param>
    /// <param name="Load">The pool's recent load, which the advice is drawn from; null before it was sampled.</param>
    public readonly record struct Inputs(
        PoolStats Stats,
        HealthSnapshot Record,
        DateTimeOffset Now,
        long WindowMs,
        Exception? ConfigurationError,
        bool Disposed,
        long OldestWaitMs,
        int AcquireTimeoutMs,
        int LeasesHeldTooLong,
        long LongestHeldMs,
        int LeakThresholdMs,
        PoolLoad? Load = null);

    /// <summary>The report: the status, and one sentence per issue, the worst first.</summary>
    public static PoolHealth Write(Inputs input)
    {
        PoolStats stats = input.Stats;
        HealthSnapshot record = input.Record;
        DateTimeOffset now = input.Now;
        long windowMs = input.WindowMs;
        var unhealthy = new List<string>();
        var degraded = new List<string>();

        if (input.ConfigurationError is { } error)
        {
            unhealthy.Add($"Its options are invalid, so it serves no rents: {error.Message}");
        }
        else if (input.Disposed)
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
        long oldestWaitMs = input.OldestWaitMs;
        int longWaitMs = Math.Max(100, input.AcquireTimeoutMs / 2);
        if (stats.Pending > 0 && stats.Leased >= stats.Max && oldestWaitMs >= Math.Min(ExhaustedAfterMs, longWaitMs))
        {
            degraded.Add($"Exhausted: all {stats.Max} connections are leased and {Count(stats.Pending, "rent")} waiting; " +
                "raise Max, hold leases for less time, or look for leaks.");
        }

        if (oldestWaitMs >= longWaitMs)
        {
            degraded.Add($"Long waits: the oldest of {Count(stats.Pending, "waiting rent")} has waited {Number(oldestWaitMs)} ms " +
                $"(AcquireTimeoutMs is {Number(input.AcquireTimeoutMs)}).");
        }

        int held = input.LeasesHeldTooLong;
        long longestMs = input.LongestHeldMs;
        if (held > 0 && held >= stats.Max && (stats.Pending > 0 || record.TimedOutInWindow))
        {
            unhealthy.Add($"Every connection ({Number(held)} of Max {Number(stats.Max)}) is held longer than LeakThresholdMs " +
                $"({Number(input.LeakThresholdMs)} ms) while rents time out, so the pool serves nothing; the longest has been held " +
                $"for {Number(longestMs)} ms. The log names where each was rented: dispose those leases.");
        }
        else if (held > 0)
        {
            degraded.Add($"Leaks suspected: {Count(held, "lease")} held longer than LeakThresholdMs ({Number(input.LeakThresholdMs)} ms), " +
                $"the longest for {Number(longestMs)} ms; the log names where each was rented.");
        }

        PoolHealthStatus status = unhealthy.Count > 0 ? PoolHealthStatus.Unhealthy
            : degraded.Count > 0 ? PoolHealthStatus.Degraded
            : PoolHealthStatus.Healthy;
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
            record.LastFailure is null ? null : Describe(record.LastFailure))
        {
            Load = input.Load,
            Advice = PoolAdvisor.Advise(input.Load),
        };
    }

    /// <summary>An exception as a report quotes it: its type and message.</summary>
    public static string Describe(Exception? exception) =>
        exception is null ? "an unknown error" : $"{exception.GetType().Name}: {exception.Message.TrimEnd('.', ' ')}";

    private static string Ago(DateTimeOffset now, DateTimeOffset? then) =>
        then is { } at ? $"{Number((long)Math.Max(0, (now - at).TotalMilliseconds))} ms ago" : "at an unknown time";

    private static string Count(int count, string noun) => $"{Number(count)} {noun}{(count == 1 ? "" : "s")}";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
