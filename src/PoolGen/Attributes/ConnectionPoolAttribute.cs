using System;

namespace PoolGen;

/// <summary>
/// Turns a <c>partial</c> class into a connection pool. The source generator adds <c>Rent</c>, <c>RentAsync</c>,
/// <c>TryRent</c>, a typed <c>Lease</c>, <c>Stats</c> and the pool's lifecycle to the class.
/// </summary>
/// <remarks>
/// <para>
/// The connection type is the return type of the class's factory: a method marked <see cref="PoolFactoryAttribute"/>,
/// the method named by <see cref="Factory"/>, or the single method named <c>Create</c>, <c>CreateAsync</c>,
/// <c>CreateConnection</c> or <c>CreateConnectionAsync</c>. A factory may return <c>C</c>, <c>ValueTask&lt;C&gt;</c> or
/// <c>Task&lt;C&gt;</c> and may take a <see cref="System.Threading.CancellationToken"/>.
/// </para>
/// <para>
/// Each instance of the class owns one pool, so register the class as a singleton. The values here are compile-time
/// defaults; the generated <c>partial void ConfigurePool(PoolOptions options)</c> hook can override them at runtime
/// before the pool is first used.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConnectionPoolAttribute : Attribute
{
    /// <summary>Connections kept open even when idle; the generated <c>WarmUpAsync</c> opens this many. Default 0.</summary>
    public int Min { get; set; } = PoolDefaults.Min;

    /// <summary>Upper bound on open connections (idle plus leased). Rents beyond it wait. Default 100.</summary>
    public int Max { get; set; } = PoolDefaults.Max;

    /// <summary>
    /// Name of a method that says whether a connection is still usable: <c>bool M(C)</c>, or
    /// <c>ValueTask&lt;bool&gt;</c>/<c>Task&lt;bool&gt;</c> <c>M(C)</c> or <c>M(C, CancellationToken)</c>; static or instance.
    /// </summary>
    public string? Validate { get; set; }

    /// <summary>
    /// Name of a method called on every returned connection before it is reused: <c>void M(C)</c>, or
    /// <c>ValueTask</c>/<c>Task</c> <c>M(C)</c> or <c>M(C, CancellationToken)</c>; static or instance.
    /// </summary>
    public string? Reset { get; set; }

    /// <summary>Name of the factory method, when neither the naming convention nor <see cref="PoolFactoryAttribute"/> is used.</summary>
    public string? Factory { get; set; }

    /// <summary>
    /// Name of a method that closes a connection the pool retires: <c>void M(C)</c>, or <c>ValueTask</c>/<c>Task</c>
    /// <c>M(C)</c>. By default the pool calls <c>DisposeAsync</c>/<c>Dispose</c> when the connection type has them.
    /// </summary>
    public string? Close { get; set; }

    /// <summary>How long a rent waits for a connection before it throws <see cref="PoolTimeoutException"/>, in milliseconds. Default 30000.</summary>
    public int AcquireTimeoutMs { get; set; } = PoolDefaults.AcquireTimeoutMs;

    /// <summary>Idle connections above <see cref="Min"/> unused for this long are closed, in milliseconds; 0 = never. Default 600000.</summary>
    public int IdleTimeoutMs { get; set; } = PoolDefaults.IdleTimeoutMs;

    /// <summary>A connection older than this is closed when it is returned, in milliseconds; 0 = no limit. Default 1800000.</summary>
    public int MaxLifetimeMs { get; set; } = PoolDefaults.MaxLifetimeMs;

    /// <summary>
    /// Each connection's lifetime is shortened by a random amount up to this percentage of <see cref="MaxLifetimeMs"/>,
    /// fixed when it opens, so connections opened together do not all expire together. 0 to 50; default 2.5.
    /// </summary>
    public double LifetimeJitterPercent { get; set; } = PoolDefaults.LifetimeJitterPercent;

    /// <summary>
    /// How often a failed open is retried before the pool gives up with <see cref="PoolConnectionException"/>: 0 means
    /// one attempt only. Retries never run past the rent's timeout or cancellation. Default 3.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = PoolDefaults.MaxRetryAttempts;

    /// <summary>
    /// The wait before the first retry of a failed open, in milliseconds; it doubles with each further retry, up to
    /// 5 seconds. Default 100.
    /// </summary>
    public int RetryDelayMs { get; set; } = PoolDefaults.RetryDelayMs;

    /// <summary>Validate a connection before handing it out (see <see cref="ValidateAfterIdleMs"/>). Default true.</summary>
    public bool ValidateOnRent { get; set; } = PoolDefaults.ValidateOnRent;

    /// <summary>Validate a connection when it is returned; a failure closes it. Default false.</summary>
    public bool ValidateOnReturn { get; set; } = PoolDefaults.ValidateOnReturn;

    /// <summary>
    /// Validation on rent is skipped for a connection used within this many milliseconds; 0 validates on every rent.
    /// Default 500.
    /// </summary>
    public int ValidateAfterIdleMs { get; set; } = PoolDefaults.ValidateAfterIdleMs;

    /// <summary>
    /// How long <c>DisposeAsync</c> waits for outstanding leases to come back before closing, in milliseconds. Default
    /// 5000, which fits inside the common hosts' and orchestrators' shutdown grace periods.
    /// </summary>
    public int ShutdownTimeoutMs { get; set; } = PoolDefaults.ShutdownTimeoutMs;

    /// <summary>
    /// Name of a method that tells a primary from a standby, which makes this a multi-host pool together with a factory
    /// that takes the <see cref="PoolEndpoint"/> to connect to: <c>EndpointRole M(C)</c>, or
    /// <c>ValueTask&lt;EndpointRole&gt;</c>/<c>Task&lt;EndpointRole&gt;</c> <c>M(C[, CancellationToken])</c>, static or
    /// instance. For PostgreSQL, <c>SELECT pg_is_in_recovery()</c>: true is a standby. It runs in the background, when
    /// the pool starts, every recheck interval and after errors, never on a rent.
    /// </summary>
    public string? RoleCheck { get; set; }

    /// <summary>
    /// Name of a method the pool asks, on every return, whether a connection is broken: <c>bool M(C)</c>, static or
    /// instance (for example <c>connection.State != ConnectionState.Open</c>). A broken connection is closed instead of
    /// reused. Keep it cheap and free of I/O: it runs on every return.
    /// </summary>
    public string? IsBroken { get; set; }

    /// <summary>
    /// For a connection type that is or implements <c>System.Data.IDbConnection</c> (every
    /// <c>System.Data.Common.DbConnection</c>), treat a connection whose <c>State</c> is <c>Closed</c> or <c>Broken</c>
    /// as broken: it is closed when returned and never lent. The check is a property read, no I/O. A method named by
    /// <see cref="IsBroken"/> replaces it. Default true; other connection types are not affected.
    /// </summary>
    public bool CheckConnectionState { get; set; } = PoolDefaults.CheckConnectionState;

    /// <summary>
    /// How often the pool's maintenance runs, in milliseconds: it retires idle and expired connections, validates idle
    /// ones (see <see cref="ValidateOnIdle"/>), refills to <see cref="Min"/> and records the pool's health. 0 turns
    /// these passes off; expired connections are still retired as they expire when lifetime jitter is on. Default 30000.
    /// </summary>
    public int HealthCheckIntervalMs { get; set; } = PoolDefaults.HealthCheckIntervalMs;

    /// <summary>Validate idle connections during maintenance, so a dead one is replaced before a rent finds it. Default true.</summary>
    public bool ValidateOnIdle { get; set; } = PoolDefaults.ValidateOnIdle;

    /// <summary>
    /// How long an asynchronous validation may take before the connection counts as failed and is closed, in
    /// milliseconds; 0 = no limit. Default 5000.
    /// </summary>
    public int ValidationTimeoutMs { get; set; } = PoolDefaults.ValidationTimeoutMs;

    /// <summary>
    /// The most connections the pool opens at the same time; rents beyond it wait for an open to finish. 0 = no limit.
    /// Default 0.
    /// </summary>
    public int MaxConcurrentOpens { get; set; } = PoolDefaults.MaxConcurrentOpens;

    /// <summary>
    /// How long, in milliseconds, a waiting rent must wait to rise one priority level: a rent of higher priority is
    /// served before one of lower priority that started less than this many milliseconds earlier per level between
    /// them, so a low-priority rent is never starved. 0 = priorities are ignored and waiters are served first in, first
    /// out. Default 1000.
    /// </summary>
    public int PriorityAgingMs { get; set; } = PoolDefaults.PriorityAgingMs;

    /// <summary>
    /// The most rents that may wait at once; a rent beyond it fails at once with <see cref="PoolOverloadedException"/>
    /// instead of joining the queue. 0 = no limit. Default 0.
    /// </summary>
    public int MaxPendingRents { get; set; } = PoolDefaults.MaxPendingRents;

    /// <summary>
    /// Load shedding: a rent that would have to wait is refused at once with <see cref="PoolOverloadedException"/> when
    /// the pool's recent hand-off rate shows its deadline cannot be met, instead of failing after its whole timeout.
    /// Default false.
    /// </summary>
    public bool ShedLoad { get; set; } = PoolDefaults.ShedLoad;

    /// <summary>
    /// Auto-sizing: between Min and Max, the pool keeps open as many connections as a smoothed view of recent demand
    /// (leased connections plus waiting rents) with 25 % headroom, opening them ahead of the rents that will need them,
    /// and closes idle ones once demand has stayed well below for a minute. Default false.
    /// </summary>
    public bool AutoSize { get; set; } = PoolDefaults.AutoSize;

    /// <summary>
    /// A lease held longer than this is reported once, with the call site of its rent, through the pool's logger
    /// (<see cref="PoolOptions.Logger"/>) and counted in stats and health, in milliseconds. 0 turns detection off; when on,
    /// every rent records its call site, which costs a few microseconds. Default 0.
    /// </summary>
    public int LeakThresholdMs { get; set; } = PoolDefaults.LeakThresholdMs;
}
