using System;

namespace PoolGen;

/// <summary>One endpoint of a multi-host pool: its state as the pool sees it and its own pool's stats.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Role">Its role as last checked.</param>
/// <param name="IsOnline">Whether rents may be routed to it.</param>
/// <param name="OfflineSince">When it went offline; null while online.</param>
/// <param name="LastCheck">When its latest check finished; null before the first.</param>
/// <param name="LastError">Its latest failure, as "Type: message"; null when none.</param>
/// <param name="InFlight">Leases of the multi-host pool held on it now.</param>
/// <param name="Failures">Failed rents and checks on it since the pool started.</param>
/// <param name="LatencyMs">Its recent average lease time, in milliseconds (measured for balancers that use it; else 0).</param>
/// <param name="FailureRate">Its recent share of failed rents and checks, 0 to 1.</param>
/// <param name="Pool">The stats of its own pool: its <c>Rents</c> are the rents routed to it (and its role checks).</param>
public readonly record struct EndpointStats(
    PoolEndpoint Endpoint,
    EndpointRole Role,
    bool IsOnline,
    DateTimeOffset? OfflineSince,
    DateTimeOffset? LastCheck,
    string? LastError,
    int InFlight,
    long Failures,
    double LatencyMs,
    double FailureRate,
    PoolStats Pool);

/// <summary>One workload of a multi-host pool: its route, its quota and its leases now.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Target">Where it is routed.</param>
/// <param name="QuotaLimit">The most leases it may hold at once; null when it has no quota.</param>
/// <param name="InUse">Leases it holds now, when it has a quota (only quotas count them); else null.</param>
public readonly record struct WorkloadStats(Workload Workload, TargetRole Target, int? QuotaLimit, int? InUse);
