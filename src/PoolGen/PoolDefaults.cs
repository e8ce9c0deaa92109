namespace PoolGen;

/// <summary>
/// The defaults of <see cref="ConnectionPoolAttribute"/> and <see cref="PoolOptions"/>, in one place. Each is named like
/// its option: the analyzers read these constants from the referenced runtime when a message needs a default.
/// </summary>
public static class PoolDefaults
{
    /// <summary>Default <see cref="PoolOptions.Min"/>: 0.</summary>
    public const int Min = 0;

    /// <summary>Default <see cref="PoolOptions.Max"/>: 100.</summary>
    public const int Max = 100;

    /// <summary>Default <see cref="PoolOptions.AcquireTimeoutMs"/>: 30 seconds.</summary>
    public const int AcquireTimeoutMs = 30_000;

    /// <summary>Default <see cref="PoolOptions.IdleTimeoutMs"/>: 10 minutes.</summary>
    public const int IdleTimeoutMs = 600_000;

    /// <summary>Default <see cref="PoolOptions.MaxLifetimeMs"/>: 30 minutes.</summary>
    public const int MaxLifetimeMs = 1_800_000;

    /// <summary>Default <see cref="PoolOptions.LifetimeJitterPercent"/>: 2.5 percent.</summary>
    public const double LifetimeJitterPercent = 2.5;

    /// <summary>The largest <see cref="PoolOptions.LifetimeJitterPercent"/> accepted.</summary>
    public const double MaxLifetimeJitterPercent = OptionRules.MaxLifetimeJitterPercent;

    /// <summary>Default <see cref="PoolOptions.MaxRetryAttempts"/>: 3 retries after the first attempt.</summary>
    public const int MaxRetryAttempts = 3;

    /// <summary>Default <see cref="PoolOptions.RetryDelayMs"/>: 100 milliseconds before the first retry.</summary>
    public const int RetryDelayMs = 100;

    /// <summary>The longest wait between two attempts to open a connection, however many have failed.</summary>
    public const int MaxRetryDelayMs = 5_000;

    /// <summary>Default <see cref="PoolOptions.ValidateOnRent"/>: true.</summary>
    public const bool ValidateOnRent = true;

    /// <summary>Default <see cref="PoolOptions.ValidateOnReturn"/>: false.</summary>
    public const bool ValidateOnReturn = false;

    /// <summary>Default <see cref="PoolOptions.ValidateAfterIdleMs"/>: 500 milliseconds.</summary>
    public const int ValidateAfterIdleMs = 500;

    /// <summary>
    /// Default <see cref="PoolOptions.ShutdownTimeoutMs"/>: 5 seconds. A pool is disposed late in a host's shutdown,
    /// after the host has drained its requests, and the whole shutdown must fit in the orchestrator's grace period
    /// (10 seconds for <c>docker stop</c>, 30 for Kubernetes and for ASP.NET Core's own shutdown timeout).
    /// </summary>
    public const int ShutdownTimeoutMs = 5_000;

    /// <summary>Default <see cref="ConnectionPoolAttribute.CheckConnectionState"/>: true.</summary>
    public const bool CheckConnectionState = true;

    /// <summary>Default <see cref="PoolOptions.HealthCheckIntervalMs"/>: 30 seconds.</summary>
    public const int HealthCheckIntervalMs = 30_000;

    /// <summary>Default <see cref="PoolOptions.ValidateOnIdle"/>: true.</summary>
    public const bool ValidateOnIdle = true;

    /// <summary>Default <see cref="PoolOptions.ValidationTimeoutMs"/>: 5 seconds.</summary>
    public const int ValidationTimeoutMs = 5_000;

    /// <summary>Default <see cref="PoolOptions.MaxConcurrentOpens"/>: 0, no limit.</summary>
    public const int MaxConcurrentOpens = 0;

    /// <summary>Default <see cref="PoolOptions.LeakThresholdMs"/>: 0, leak detection off.</summary>
    public const int LeakThresholdMs = 0;

    /// <summary>Default <see cref="PoolOptions.StatsIntervalMs"/>: 10 seconds between two calls of <see cref="PoolOptions.OnStats"/>.</summary>
    public const int StatsIntervalMs = 10_000;

    /// <summary>Default <see cref="PoolOptions.PriorityAgingMs"/>: a waiting rent rises one priority level per second.</summary>
    public const int PriorityAgingMs = 1_000;

    /// <summary>Default <see cref="PoolOptions.MaxPendingRents"/>: 0, no limit.</summary>
    public const int MaxPendingRents = 0;

    /// <summary>Default <see cref="PoolOptions.ShedLoad"/>: false.</summary>
    public const bool ShedLoad = false;

    /// <summary>Default <see cref="PoolOptions.AutoSize"/>: false.</summary>
    public const bool AutoSize = false;
}
