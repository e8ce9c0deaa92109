namespace PoolGen;

/// <summary>Which endpoints a workload of a multi-host pool may use, like Npgsql's <c>Target Session Attributes</c>.</summary>
public enum TargetRole
{
    /// <summary>The primary only. With none online, a rent fails at once with <see cref="EndpointUnavailableException"/>.</summary>
    Primary,

    /// <summary>Standbys only (strict). With none online, a rent fails at once with <see cref="EndpointUnavailableException"/>.</summary>
    Standby,

    /// <summary>Standbys, or the primary when no standby is online.</summary>
    PreferStandby,

    /// <summary>The primary, or a standby when no primary is online.</summary>
    PreferPrimary,

    /// <summary>Any online endpoint whose role is known.</summary>
    Any,
}
