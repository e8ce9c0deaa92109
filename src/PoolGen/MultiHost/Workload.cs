namespace PoolGen;

/// <summary>
/// What a rent of a multi-host pool is for. The pool routes each workload to the endpoints its
/// <see cref="TargetRole"/> allows (see <see cref="MultiHostOptions{TConnection}.Route"/>) and may cap how many leases a
/// workload holds at once (see <see cref="MultiHostOptions{TConnection}.QuotaPercent"/>).
/// </summary>
public enum Workload
{
    /// <summary>Reads and writes: the primary only (default route <see cref="TargetRole.Primary"/>).</summary>
    ReadWrite,

    /// <summary>Reads: standbys preferred, the primary when none is online (default route <see cref="TargetRole.PreferStandby"/>).</summary>
    ReadOnly,

    /// <summary>Long reports and exports: standbys preferred (default route <see cref="TargetRole.PreferStandby"/>); a usual candidate for a quota.</summary>
    Analytics,

    /// <summary>Migrations, vacuum, administration: the primary (default route <see cref="TargetRole.Primary"/>).</summary>
    Maintenance,

    /// <summary>Latency-critical work: the primary (default route <see cref="TargetRole.Primary"/>), and no quota unless one is set.</summary>
    HighPriority,
}
