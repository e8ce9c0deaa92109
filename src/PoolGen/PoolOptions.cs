using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// The runtime settings of one pool. The generated code fills them from <see cref="ConnectionPoolAttribute"/> and
/// passes them to the class's <c>ConfigurePool</c> hook, where they can be overridden (for example from configuration)
/// before the pool is first used. Times are in milliseconds.
/// </summary>
public sealed class PoolOptions
{
    /// <summary>Creates options with every default and the given pool name.</summary>
    /// <param name="name">The name used in exceptions, logs and stats; the generated code passes the class name.</param>
    public PoolOptions(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The pool's name, used in every exception message.</summary>
    public string Name { get; set; }

    /// <inheritdoc cref="ConnectionPoolAttribute.Min"/>
    public int Min { get; set; } = PoolDefaults.Min;

    /// <inheritdoc cref="ConnectionPoolAttribute.Max"/>
    public int Max { get; set; } = PoolDefaults.Max;

    /// <inheritdoc cref="ConnectionPoolAttribute.AcquireTimeoutMs"/>
    public int AcquireTimeoutMs { get; set; } = PoolDefaults.AcquireTimeoutMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.IdleTimeoutMs"/>
    public int IdleTimeoutMs { get; set; } = PoolDefaults.IdleTimeoutMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.MaxLifetimeMs"/>
    public int MaxLifetimeMs { get; set; } = PoolDefaults.MaxLifetimeMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.LifetimeJitterPercent"/>
    public double LifetimeJitterPercent { get; set; } = PoolDefaults.LifetimeJitterPercent;

    /// <inheritdoc cref="ConnectionPoolAttribute.MaxRetryAttempts"/>
    public int MaxRetryAttempts { get; set; } = PoolDefaults.MaxRetryAttempts;

    /// <inheritdoc cref="ConnectionPoolAttribute.RetryDelayMs"/>
    public int RetryDelayMs { get; set; } = PoolDefaults.RetryDelayMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.ValidateOnRent"/>
    public bool ValidateOnRent { get; set; } = PoolDefaults.ValidateOnRent;

    /// <inheritdoc cref="ConnectionPoolAttribute.ValidateOnReturn"/>
    public bool ValidateOnReturn { get; set; } = PoolDefaults.ValidateOnReturn;

    /// <inheritdoc cref="ConnectionPoolAttribute.ValidateAfterIdleMs"/>
    public int ValidateAfterIdleMs { get; set; } = PoolDefaults.ValidateAfterIdleMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.ShutdownTimeoutMs"/>
    public int ShutdownTimeoutMs { get; set; } = PoolDefaults.ShutdownTimeoutMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.HealthCheckIntervalMs"/>
    public int HealthCheckIntervalMs { get; set; } = PoolDefaults.HealthCheckIntervalMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.ValidateOnIdle"/>
    public bool ValidateOnIdle { get; set; } = PoolDefaults.ValidateOnIdle;

    /// <inheritdoc cref="ConnectionPoolAttribute.ValidationTimeoutMs"/>
    public int ValidationTimeoutMs { get; set; } = PoolDefaults.ValidationTimeoutMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.MaxConcurrentOpens"/>
    public int MaxConcurrentOpens { get; set; } = PoolDefaults.MaxConcurrentOpens;

    /// <inheritdoc cref="ConnectionPoolAttribute.LeakThresholdMs"/>
    public int LeakThresholdMs { get; set; } = PoolDefaults.LeakThresholdMs;

    /// <summary>
    /// Where the pool reports suspected leaks, failed opens and retired connections. Default none. Set it in
    /// <c>ConfigurePool</c>, for example from an <c>ILoggerFactory</c>.
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>The clock and timers the pool uses; tests substitute a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Checks every value and throws an <see cref="ArgumentOutOfRangeException"/> that names the pool, the setting and
    /// the accepted range.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A pool needs a non-empty Name.", nameof(Name));
        }

        PoolLimits.CheckSizes(Name, Min, Max);
        RequireNonNegative(AcquireTimeoutMs, nameof(AcquireTimeoutMs), "0 makes every rent that cannot be served at once fail");
        RequireNonNegative(IdleTimeoutMs, nameof(IdleTimeoutMs), "0 turns idle retirement off");
        RequireNonNegative(MaxLifetimeMs, nameof(MaxLifetimeMs), "0 means no lifetime limit");
        RequireNonNegative(ValidateAfterIdleMs, nameof(ValidateAfterIdleMs), "0 validates on every rent");
        RequireNonNegative(MaxRetryAttempts, nameof(MaxRetryAttempts), "0 means one attempt, no retries");
        RequireNonNegative(RetryDelayMs, nameof(RetryDelayMs), "0 retries at once");
        RequireNonNegative(ShutdownTimeoutMs, nameof(ShutdownTimeoutMs), "0 closes at once without waiting for leases");
        RequireNonNegative(HealthCheckIntervalMs, nameof(HealthCheckIntervalMs), "0 turns maintenance passes off");
        RequireNonNegative(ValidationTimeoutMs, nameof(ValidationTimeoutMs), "0 lets a validation take as long as it takes");
        RequireNonNegative(MaxConcurrentOpens, nameof(MaxConcurrentOpens), "0 means no limit");
        RequireNonNegative(LeakThresholdMs, nameof(LeakThresholdMs), "0 turns leak detection off");
        if (!(LifetimeJitterPercent >= 0 && LifetimeJitterPercent <= PoolDefaults.MaxLifetimeJitterPercent))
        {
            throw new ArgumentOutOfRangeException(
                nameof(LifetimeJitterPercent),
                LifetimeJitterPercent,
                $"Pool '{Name}': LifetimeJitterPercent is {LifetimeJitterPercent}, but it must be between 0 and {PoolDefaults.MaxLifetimeJitterPercent} (0 turns jitter off).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    /// <summary>A copy that a running pool keeps, so that later changes to these options do not reach it.</summary>
    internal PoolOptions Freeze() => (PoolOptions)MemberwiseClone();

    private void RequireNonNegative(int value, string setting, string zeroMeans)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(
                setting,
                value,
                $"Pool '{Name}': {setting} is {value}, but it must be 0 or more ({zeroMeans}).");
        }
    }
}
