using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
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

    /// <inheritdoc cref="ConnectionPoolAttribute.PriorityAgingMs"/>
    public int PriorityAgingMs { get; set; } = PoolDefaults.PriorityAgingMs;

    /// <inheritdoc cref="ConnectionPoolAttribute.MaxPendingRents"/>
    public int MaxPendingRents { get; set; } = PoolDefaults.MaxPendingRents;

    /// <inheritdoc cref="ConnectionPoolAttribute.ShedLoad"/>
    public bool ShedLoad { get; set; } = PoolDefaults.ShedLoad;

    /// <inheritdoc cref="ConnectionPoolAttribute.AutoSize"/>
    public bool AutoSize { get; set; } = PoolDefaults.AutoSize;

    /// <inheritdoc cref="ConnectionPoolAttribute.LeakThresholdMs"/>
    public int LeakThresholdMs { get; set; } = PoolDefaults.LeakThresholdMs;

    /// <summary>
    /// The servers of a multi-host pool (one whose factory takes a <see cref="PoolEndpoint"/> and whose attribute names
    /// a <c>RoleCheck</c>), for example <c>options.Endpoints = [.. PoolEndpoint.ParseList("db1:5432,db2:5432")]</c>,
    /// or from configuration as a list of <c>"host:port"</c> strings. Sizes and timeouts apply to each endpoint. Empty
    /// by default; a pool whose factory takes no endpoint must leave it empty.
    /// </summary>
    public IList<PoolEndpoint> Endpoints { get; set; } = new List<PoolEndpoint>();

    /// <summary>
    /// Where the pool reports suspected leaks, failed opens and retired connections. Default none. Set it in
    /// <c>ConfigurePool</c>, for example from an <c>ILoggerFactory</c>.
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// Where the pool gets its logger when <see cref="Logger"/> is not set: it creates one in the category
    /// <c>PoolGen.</c> followed by the pool's name, so a pool's messages can be filtered by its name. Dependency
    /// injection fills this in. Default none: a pool given no logger logs nothing and pays nothing for it.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where the pool creates its <c>PoolGen</c> meter, so that metrics belong to the application's own meter factory
    /// (dependency injection fills this in, and tests get meters no other test sees). Default none: the pool creates
    /// its own meter, which listeners find by its name all the same.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Called with a snapshot of the pool's <see cref="PoolStats"/> every <see cref="StatsIntervalMs"/>, for
    /// applications that do not use OpenTelemetry or another metrics listener. It runs on a timer thread; an exception
    /// it throws is logged and counted in <see cref="PoolStats.UserCodeErrors"/>. Default none.
    /// </summary>
    public Action<PoolStats>? OnStats { get; set; }

    /// <summary>How often <see cref="OnStats"/> is called, in milliseconds. Default 10,000; it must be 1 or more when <see cref="OnStats"/> is set.</summary>
    public int StatsIntervalMs { get; set; } = PoolDefaults.StatsIntervalMs;

    /// <summary>The clock and timers the pool uses; tests substitute a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Checks every value and throws an <see cref="ArgumentOutOfRangeException"/> that names the pool, the setting and
    /// the accepted range: the message the analyzers show for the same value written in the attribute.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A pool needs a non-empty Name.", nameof(Name));
        }

        PoolLimits.CheckSizes(Name, Min, Max, nameof(Min), nameof(Max));
        Check(nameof(AcquireTimeoutMs), AcquireTimeoutMs);
        Check(nameof(IdleTimeoutMs), IdleTimeoutMs);
        Check(nameof(MaxLifetimeMs), MaxLifetimeMs);
        Check(nameof(LifetimeJitterPercent), LifetimeJitterPercent, PoolDefaults.LifetimeJitterPercent);
        Check(nameof(MaxRetryAttempts), MaxRetryAttempts, PoolDefaults.MaxRetryAttempts);
        Check(nameof(RetryDelayMs), RetryDelayMs);
        Check(nameof(ValidateAfterIdleMs), ValidateAfterIdleMs);
        Check(nameof(ShutdownTimeoutMs), ShutdownTimeoutMs);
        Check(nameof(HealthCheckIntervalMs), HealthCheckIntervalMs);
        Check(nameof(ValidationTimeoutMs), ValidationTimeoutMs);
        Check(nameof(MaxConcurrentOpens), MaxConcurrentOpens);
        Check(nameof(LeakThresholdMs), LeakThresholdMs);
        Check(nameof(PriorityAgingMs), PriorityAgingMs);
        Check(nameof(MaxPendingRents), MaxPendingRents);
        if (OnStats is not null && StatsIntervalMs < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(StatsIntervalMs),
                StatsIntervalMs,
                $"Pool '{Name}': StatsIntervalMs is {StatsIntervalMs}, but OnStats is set, so it must be 1 or more " +
                $"(the default is {PoolDefaults.StatsIntervalMs} ms). Set StatsIntervalMs to how often OnStats should be called.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    /// <summary>A copy that a running pool keeps, so that later changes to these options do not reach it.</summary>
    internal PoolOptions Freeze()
    {
        var frozen = (PoolOptions)MemberwiseClone();
        frozen.Endpoints = [.. Endpoints];
        return frozen;
    }

    /// <summary>
    /// The settings of one endpoint's pool within a multi-host pool: these, named <c>Name@endpoint</c> so that its logs
    /// and metrics say which server they are about, with no endpoints of their own.
    /// </summary>
    internal PoolOptions ForEndpoint(PoolEndpoint endpoint)
    {
        var options = (PoolOptions)MemberwiseClone();
        options.Name = $"{Name}@{endpoint}";
        options.Endpoints = new List<PoolEndpoint>();
        return options;
    }

    // The rule and its message are OptionRules': the analyzers report the same for the same value in the attribute.
    private void Check(string setting, double value, double? defaultValue = null)
    {
        if (OptionRules.Check(setting, value, defaultValue) is { } problem)
        {
            throw problem.ToException(Name);
        }
    }
}
