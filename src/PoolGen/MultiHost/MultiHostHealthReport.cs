using System;
using System.Collections.Generic;
using System.Linq;

namespace PoolGen;

/// <summary>
/// Writes a multi-host pool's health from its endpoints' health: a pure function, so every rule is tested without a
/// server. Unhealthy when rents of the default workload fail; degraded when an endpoint is offline, another workload
/// has nowhere to go, or an endpoint's own pool is not healthy.
/// </summary>
internal static class MultiHostHealthReport
{
    public static PoolHealth Write(
        string name,
        IReadOnlyList<EndpointHealth> endpoints,
        IReadOnlyDictionary<Workload, TargetRole> routes,
        Workload defaultWorkload,
        PoolStats total)
    {
        var issues = new List<string>();
        var status = PoolHealthStatus.Healthy;
        bool anyChecked = endpoints.Any(e => e.IsOnline || e.LastError is not null);

        foreach (EndpointHealth endpoint in endpoints.Where(e => !e.IsOnline && e.LastError is not null))
        {
            issues.Add($"Endpoint {endpoint.Endpoint} is offline: {endpoint.LastError}");
            status = PoolHealthStatus.Degraded;
        }

        if (anyChecked)
        {
            foreach ((Workload workload, TargetRole target) in routes.OrderBy(r => r.Key))
            {
                if (Serves(endpoints, target))
                {
                    continue;
                }

                string where = target == TargetRole.Primary ? "no primary is online" :
                    target == TargetRole.Standby ? "it is standby-only and no standby is online" : "no endpoint of a known role is online";
                issues.Add($"{workload} rents fail: {where}.");
                status = workload == defaultWorkload ? PoolHealthStatus.Unhealthy : Max(status, PoolHealthStatus.Degraded);
            }
        }

        foreach (EndpointHealth endpoint in endpoints.Where(e => e.IsOnline && e.Pool.Status != PoolHealthStatus.Healthy))
        {
            issues.AddRange(endpoint.Pool.Issues.Select(i => $"{endpoint.Endpoint}: {i}"));
            status = Max(status, PoolHealthStatus.Degraded);
        }

        PoolHealth? lastFailed = endpoints.Select(e => e.Pool).Where(h => h.LastFailureAt is not null).MaxBy(h => h.LastFailureAt);
        return new PoolHealth(
            status,
            issues,
            total with { Name = name },
            endpoints.Max(e => e.Pool.LastCheck),
            endpoints.Max(e => e.Pool.CheckDuration),
            endpoints.Max(e => e.Pool.ConsecutiveFailures),
            lastFailed?.LastFailureAt,
            lastFailed?.LastFailure ?? endpoints.FirstOrDefault(e => !e.IsOnline && e.LastError is not null)?.LastError);
    }

    private static bool Serves(IReadOnlyList<EndpointHealth> endpoints, TargetRole target)
    {
        bool primary = endpoints.Any(e => e.IsOnline && e.Role == EndpointRole.Primary);
        bool standby = endpoints.Any(e => e.IsOnline && e.Role == EndpointRole.Standby);
        return target switch
        {
            TargetRole.Primary => primary,
            TargetRole.Standby => standby,
            _ => primary || standby,
        };
    }

    private static PoolHealthStatus Max(PoolHealthStatus a, PoolHealthStatus b) => (PoolHealthStatus)Math.Max((int)a, (int)b);
}
