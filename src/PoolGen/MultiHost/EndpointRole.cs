namespace PoolGen;

/// <summary>What an endpoint of a multi-host pool is, as its role check last said.</summary>
public enum EndpointRole
{
    /// <summary>Not known yet: the endpoint has not answered a role check since the pool started.</summary>
    Unknown,

    /// <summary>Accepts writes (for PostgreSQL: <c>pg_is_in_recovery()</c> is false).</summary>
    Primary,

    /// <summary>Serves reads only: a replica (for PostgreSQL: <c>pg_is_in_recovery()</c> is true).</summary>
    Standby,
}
