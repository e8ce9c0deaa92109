using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PoolGen.Hosting;

/// <summary>Every live pool of a <see cref="PoolRegistry"/> as one health check: the worst status wins.</summary>
public sealed class PoolRegistryHealthCheck : IHealthCheck
{
    private readonly PoolRegistry _registry;

    /// <summary>Creates a check of <paramref name="registry"/>'s pools.</summary>
    /// <param name="registry">The registry, usually <see cref="PoolRegistry.Default"/>.</param>
    public PoolRegistryHealthCheck(PoolRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<PoolHealth> pools = _registry.GetHealth();
        PoolHealthStatus worst = pools.Count == 0 ? PoolHealthStatus.Healthy : pools.Max(p => p.Status);
        HealthStatus status = worst switch
        {
            PoolHealthStatus.Healthy => HealthStatus.Healthy,
            PoolHealthStatus.Degraded => HealthStatus.Degraded,
            _ => context.Registration.FailureStatus,
        };
        string[] troubled = pools.Where(p => p.Status != PoolHealthStatus.Healthy).Select(p => p.ToString()).ToArray();
        string description = troubled.Length == 0 ? $"{pools.Count} pools, all healthy." : string.Join(" ", troubled);
        var data = new Dictionary<string, object>();
        foreach (PoolHealth pool in pools)
        {
            data[pool.Name] = pool.Status.ToString();
        }

        return Task.FromResult(new HealthCheckResult(status, description, exception: null, data));
    }
}
