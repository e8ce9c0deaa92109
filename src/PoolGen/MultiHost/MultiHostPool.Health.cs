using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

// Stats and health: per endpoint, per workload, and for the whole pool.
public sealed partial class MultiHostPool<TConnection, TLease>
{
    /// <summary>
    /// The endpoints' pool stats added up (sizes, gauges and counters), under this pool's name. <c>Rents</c> counts the
    /// rents made through this pool; the role checks' own rents are counted only in each endpoint's stats.
    /// </summary>
    public PoolStats Stats
    {
        get
        {
            PoolStats total = default;
            foreach (IConnectionPool<TConnection, TLease> pool in _pools)
            {
                total = Add(total, pool.Stats);
            }

            return total with { Name = Name, Rents = total.Rents - Interlocked.Read(ref _checkRents) };
        }
    }

    /// <summary>Each endpoint's state as the pool sees it, with its own pool's stats, in the order of the options.</summary>
    public IReadOnlyList<EndpointStats> GetEndpointStats() =>
        _endpoints.Select(e => new EndpointStats(
            e.Endpoint, e.Role, e.IsOnline, e.OfflineSince, e.LastCheck, e.LastError, e.InFlight, e.Failures, e.LatencyMs,
            e.FailureRate, _pools[e.Index].Stats)).ToArray();

    /// <summary>Each workload's route and quota, with the leases it holds when it has a quota.</summary>
    public IReadOnlyList<WorkloadStats> GetWorkloadStats()
    {
        WorkloadQuota?[] quotas = Volatile.Read(ref _quotas) ?? new WorkloadQuota?[WorkloadCount];
        return Enum.GetValues<Workload>()
            .Select(w => new WorkloadStats(w, _routes[(int)w], quotas[(int)w]?.Limit, quotas[(int)w]?.InUse))
            .ToArray();
    }

    /// <summary>
    /// The pool's health from what it knows now, without I/O: unhealthy when rents of the default workload fail (no
    /// primary online, say), degraded when an endpoint is offline or another workload has nowhere to go.
    /// </summary>
    public PoolHealth GetHealth() => _configurationError is { } error
        ? new PoolHealth(
            PoolHealthStatus.Unhealthy,
            [$"Multi-host pool '{Name}' cannot be used: its options are invalid. {error.Message}"],
            Stats, lastCheck: null, TimeSpan.Zero, consecutiveFailures: 0, lastFailureAt: null, error.Message)
        : MultiHostHealthReport.Write(
            Name,
            GetEndpointHealth(),
            Enum.GetValues<Workload>().ToDictionary(w => w, w => _routes[(int)w]),
            _defaultWorkload,
            Stats);

    /// <summary>Each endpoint's routing state and its own pool's health, in the order of the options; no I/O.</summary>
    public IReadOnlyList<EndpointHealth> GetEndpointHealth() =>
        _endpoints.Select(e => new EndpointHealth(e.Endpoint, e.Role, e.IsOnline, e.LastError, _pools[e.Index].GetHealth())).ToArray();

    /// <summary>
    /// Checks every endpoint's role and reachability now, and each online endpoint's pool, then reports the health. A
    /// database problem is reported, not thrown.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        await _monitor.CheckAllAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_endpoints.Where(e => e.IsOnline).Select(e => _pools[e.Index].CheckHealthAsync(cancellationToken).AsTask()))
            .ConfigureAwait(false);
        return GetHealth();
    }

    private static PoolStats Add(PoolStats a, PoolStats b) => new(
        "",
        a.Total + b.Total,
        a.Idle + b.Idle,
        a.Leased + b.Leased,
        a.Opening + b.Opening,
        a.Pending + b.Pending,
        a.Min + b.Min,
        a.Max + b.Max,
        a.Created + b.Created,
        a.Closed + b.Closed,
        a.CreateFailures + b.CreateFailures,
        a.ValidationFailures + b.ValidationFailures,
        a.ResetFailures + b.ResetFailures,
        a.Timeouts + b.Timeouts,
        a.Cancellations + b.Cancellations,
        a.Rents + b.Rents,
        a.Waits + b.Waits,
        a.StaleDisposals + b.StaleDisposals,
        a.Broken + b.Broken,
        a.LeaksSuspected + b.LeaksSuspected,
        a.UserCodeErrors + b.UserCodeErrors);
}
