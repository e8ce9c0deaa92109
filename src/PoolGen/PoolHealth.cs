using System;
using System.Collections.Generic;

namespace PoolGen;

/// <summary>
/// A pool's health: a status, the issues behind it in plain sentences, and the outcome of the latest check. The
/// generated <c>GetHealth()</c> reads it without any I/O; <c>CheckHealthAsync</c> first probes a connection.
/// </summary>
public sealed class PoolHealth
{
    /// <summary>Creates a health report; the pool engine builds these.</summary>
    public PoolHealth(
        PoolHealthStatus status,
        IReadOnlyList<string> issues,
        PoolStats stats,
        DateTimeOffset? lastCheck,
        TimeSpan checkDuration,
        int consecutiveFailures,
        DateTimeOffset? lastFailureAt,
        string? lastFailure)
    {
        ArgumentNullException.ThrowIfNull(issues);
        Status = status;
        Issues = issues;
        Stats = stats;
        LastCheck = lastCheck;
        CheckDuration = checkDuration;
        ConsecutiveFailures = consecutiveFailures;
        LastFailureAt = lastFailureAt;
        LastFailure = lastFailure;
    }

    /// <summary>The pool's name.</summary>
    public string Name => Stats.Name;

    /// <summary>
    /// True unless <see cref="Status"/> is <see cref="PoolHealthStatus.Unhealthy"/>: a degraded pool still serves rents,
    /// as a degraded ASP.NET Core health check still passes.
    /// </summary>
    public bool IsHealthy => Status != PoolHealthStatus.Unhealthy;

    /// <summary>Healthy, degraded or unhealthy; <see cref="Issues"/> says why when it is not healthy.</summary>
    public PoolHealthStatus Status { get; }

    /// <summary>One sentence per problem, with the numbers behind it; empty when the pool is healthy.</summary>
    public IReadOnlyList<string> Issues { get; }

    /// <summary>The pool's gauges and counters when the report was made.</summary>
    public PoolStats Stats { get; }

    /// <summary>When maintenance or <c>CheckHealthAsync</c> last checked the pool; null before the first check.</summary>
    public DateTimeOffset? LastCheck { get; }

    /// <summary>How long that check took.</summary>
    public TimeSpan CheckDuration { get; }

    /// <summary>Failed opens and failed health checks in a row, since the last success; 0 when the last attempt worked.</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>When an open or a health check last failed; null if none ever did.</summary>
    public DateTimeOffset? LastFailureAt { get; }

    /// <summary>The type and message of the last failure's exception; null if none ever failed.</summary>
    public string? LastFailure { get; }

    /// <summary>The load the pool carried recently; null until it has been sampled for a second.</summary>
    public PoolLoad? Load { get; init; }

    /// <summary>Recommendations from <see cref="Load"/> (Max too small or too large, leases held long); empty when there are none.</summary>
    public IReadOnlyList<PoolAdvice> Advice { get; init; } = [];

    /// <summary>The status followed by the issues, one per line.</summary>
    public override string ToString() =>
        Issues.Count == 0 ? $"{Name}: {Status}" : $"{Name}: {Status}: {string.Join(" ", Issues)}";
}
