using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PoolGen.Hosting;

/// <summary>
/// Reports a pool's <see cref="PoolHealth"/> as a health check: Healthy, Degraded and Unhealthy map one to one (Unhealthy
/// to the registration's failure status), the issues are the description, and the stats are the data.
/// </summary>
public sealed class ConnectionPoolHealthCheck : IHealthCheck
{
    private readonly Func<IConnectionPool> _pool;
    private readonly bool _probe;

    /// <summary>Creates a check of the pool <paramref name="pool"/> returns (called on every check).</summary>
    /// <param name="pool">Gets the pool.</param>
    /// <param name="probe">
    /// Whether to check actively with <see cref="IConnectionPool.CheckHealthAsync"/> (validates an idle connection or opens
    /// one) rather than report what the pool knows with <see cref="IConnectionPool.GetHealth"/> (no I/O).
    /// </param>
    public ConnectionPoolHealthCheck(Func<IConnectionPool> pool, bool probe = false)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _probe = probe;
    }

    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IConnectionPool pool = _pool();
        PoolHealth health = _probe ? await pool.CheckHealthAsync(cancellationToken).ConfigureAwait(false) : pool.GetHealth();
        return ToResult(health, context.Registration.FailureStatus);
    }

    /// <summary>The health check result for a pool's health.</summary>
    /// <param name="health">The pool's health.</param>
    /// <param name="failureStatus">What <see cref="PoolHealthStatus.Unhealthy"/> becomes: the registration's failure status.</param>
    public static HealthCheckResult ToResult(PoolHealth health, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(health);
        HealthStatus status = health.Status switch
        {
            PoolHealthStatus.Healthy => HealthStatus.Healthy,
            PoolHealthStatus.Degraded => HealthStatus.Degraded,
            _ => failureStatus,
        };
        return new HealthCheckResult(status, Describe(health), exception: null, Data(health));
    }

    private static string Describe(PoolHealth health)
    {
        PoolStats stats = health.Stats;
        return health.Issues.Count == 0
            ? $"Pool '{health.Name}': {stats.Leased} of Max {stats.Max} leased, {stats.Idle} idle, {stats.Pending} waiting."
            : $"Pool '{health.Name}': {string.Join(" ", health.Issues)}";
    }

    private static IReadOnlyDictionary<string, object> Data(PoolHealth health)
    {
        PoolStats stats = health.Stats;
        var data = new Dictionary<string, object>
        {
            ["name"] = health.Name,
            ["status"] = health.Status.ToString(),
            ["total"] = stats.Total,
            ["idle"] = stats.Idle,
            ["leased"] = stats.Leased,
            ["opening"] = stats.Opening,
            ["pending"] = stats.Pending,
            ["min"] = stats.Min,
            ["max"] = stats.Max,
            ["created"] = stats.Created,
            ["closed"] = stats.Closed,
            ["createFailures"] = stats.CreateFailures,
            ["validationFailures"] = stats.ValidationFailures,
            ["timeouts"] = stats.Timeouts,
            ["rents"] = stats.Rents,
            ["waits"] = stats.Waits,
            ["leaksSuspected"] = stats.LeaksSuspected,
            ["userCodeErrors"] = stats.UserCodeErrors,
            ["consecutiveFailures"] = health.ConsecutiveFailures,
        };
        if (health.LastCheck is { } lastCheck)
        {
            data["lastCheck"] = lastCheck;
        }

        if (health.LastFailure is { } lastFailure)
        {
            data["lastFailure"] = lastFailure;
        }

        return data;
    }
}
