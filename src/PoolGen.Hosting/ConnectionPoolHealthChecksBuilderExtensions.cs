using System;
using System.Collections.Generic;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using PoolGen;
using PoolGen.Hosting;

// In the container's own namespace, as extension methods on IServiceCollection conventionally are: they show up
// wherever services are registered, with no using to discover.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds health checks of PoolGen pools to <c>services.AddHealthChecks()</c>.</summary>
public static class ConnectionPoolHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the <typeparamref name="TPool"/> registered in the container: Healthy, Degraded and Unhealthy map
    /// one to one (Unhealthy to <paramref name="failureStatus"/>), the pool's issues are the description and its stats the data.
    /// </summary>
    /// <typeparam name="TPool">The pool class, registered with <c>AddConnectionPool</c> or as any singleton.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default the class's name (followed by the key in brackets for a keyed pool).</param>
    /// <param name="probe">Whether to check actively with <see cref="IConnectionPool.CheckHealthAsync"/> (one validation or open) rather than report what the pool knows.</param>
    /// <param name="serviceKey">The key of a pool registered with <c>AddKeyedConnectionPool</c>; null for a plain registration.</param>
    /// <param name="failureStatus">What an unhealthy pool reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>ready</c>.</param>
    /// <param name="timeout">How long the check may take; default none.</param>
    public static IHealthChecksBuilder AddConnectionPool<TPool>(
        this IHealthChecksBuilder builder,
        string? name = null,
        bool probe = false,
        object? serviceKey = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
        where TPool : class, IConnectionPool
    {
        ArgumentNullException.ThrowIfNull(builder);
        name ??= serviceKey is null ? typeof(TPool).Name : $"{typeof(TPool).Name}[{PoolKeys.Describe(serviceKey)}]";
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new ConnectionPoolHealthCheck(
                () => serviceKey is null ? services.GetRequiredService<TPool>() : services.GetRequiredKeyedService<TPool>(serviceKey),
                probe),
            failureStatus,
            tags,
            timeout));
    }

    /// <summary>
    /// Adds one check per pool of <see cref="PoolRegistry"/> at the time of each check, reported as one: the worst
    /// status wins, every unhealthy or degraded pool's issues are in the description, and each pool's status is in the data.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default <c>pools</c>.</param>
    /// <param name="failureStatus">What an unhealthy pool reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddPoolRegistry(
        this IHealthChecksBuilder builder, string name = "pools", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPoolRegistry();
        return builder.Add(new HealthCheckRegistration(
            name, services => new PoolRegistryHealthCheck(services.GetRequiredService<PoolRegistry>()), failureStatus, tags));
    }
}
