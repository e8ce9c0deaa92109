using System;

namespace PoolGen;

/// <summary>
/// Thrown when a rent of a multi-host pool waited its whole deadline for its workload's quota: the workload already
/// held as many leases as <see cref="MultiHostOptions{TConnection}.QuotaPercent"/> allows, and none came back in time.
/// </summary>
public sealed class WorkloadQuotaException : TimeoutException
{
    /// <summary>Creates the exception; the pool builds these.</summary>
    /// <param name="pool">The multi-host pool's name.</param>
    /// <param name="workload">The rent's workload.</param>
    /// <param name="limit">The most leases the workload may hold at once.</param>
    /// <param name="percent">The quota as a percentage of the endpoints' summed Max.</param>
    /// <param name="waited">How long the rent waited.</param>
    public WorkloadQuotaException(string pool, Workload workload, int limit, int percent, TimeSpan waited)
        : base(
            $"Multi-host pool '{pool}' could not rent for {workload} within {waited.TotalMilliseconds:0} ms: the workload holds " +
            $"{(limit == 1 ? "the one lease" : $"all {limit} leases")} its quota allows ({percent} % of the endpoints' Max) and none came back in time. The quota " +
            $"keeps {workload} from starving other workloads; if it is too tight, raise QuotaPercent[{workload}], or hold " +
            "its leases for less time.")
    {
        PoolName = pool;
        Workload = workload;
        Limit = limit;
        Waited = waited;
    }

    /// <summary>The multi-host pool's name.</summary>
    public string PoolName { get; }

    /// <summary>The rent's workload.</summary>
    public Workload Workload { get; }

    /// <summary>The most leases the workload may hold at once.</summary>
    public int Limit { get; }

    /// <summary>How long the rent waited.</summary>
    public TimeSpan Waited { get; }
}
