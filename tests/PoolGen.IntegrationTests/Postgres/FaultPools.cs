using Npgsql;

namespace PoolGen.IntegrationTests.Postgres;

// The pools of the fault-scenario tests. Each is configured through the attribute only, as a user would write it; the
// numbers are chosen for the scenario and explained beside it. Every factory is asynchronous and every validator makes
// a round trip: after a server-side kill the client still reports Open, so only a query tells a dead connection apart.

/// <summary>
/// A small pool that validates on every rent (<c>ValidateAfterIdleMs = 0</c>), so a connection killed while idle is
/// always found by the rent that takes it, however soon after the kill.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, AcquireTimeoutMs = 30_000)]
public sealed partial class FaultPool
{
    private readonly string _connectionString;

    public FaultPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// A pool that keeps two connections warm through a server restart. Maintenance runs every second, so the refill to
/// Min after the restart is seen within seconds; two retries 100 and 200 ms apart make one failed open take about
/// 0.3 s; rents wait at most 3 s.
/// </summary>
[ConnectionPool(Min = 2, Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, IdleTimeoutMs = 2_000,
    HealthCheckIntervalMs = 1_000, MaxRetryAttempts = 2, RetryDelayMs = 100, AcquireTimeoutMs = 3_000)]
public sealed partial class RestartPool
{
    private readonly string _connectionString;

    public RestartPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// Twenty connections that all expire within seconds: a lifetime of 6 s shortened by up to 20 % (1.2 s), so a pool
/// filled at once should see its connections retire between 4.8 and 6 s after they opened, not in one go. Its close
/// method notes when each connection was retired, which the server's view (sampled) cannot tell precisely.
/// Maintenance runs every 0.8 s: two thirds of the 1.2 s jitter window, the ratio of the defaults (30 s against 2.5 %
/// of 30 min, 45 s).
/// </summary>
[ConnectionPool(Min = 20, Max = 20, MaxLifetimeMs = 6_000, LifetimeJitterPercent = 20, IdleTimeoutMs = 0,
    HealthCheckIntervalMs = 800, Validate = nameof(RespondsAsync), Close = nameof(CloseAsync))]
public sealed partial class LifetimePool
{
    private readonly string _connectionString;
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _closedAt = new();

    public LifetimePool(string connectionString) => _connectionString = connectionString;

    /// <summary>When each retired connection was closed, as <see cref="System.Diagnostics.Stopwatch"/> timestamps, in order.</summary>
    public long[] ClosedAt => [.. _closedAt];

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private ValueTask CloseAsync(NpgsqlConnection connection)
    {
        _closedAt.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
        return connection.DisposeAsync();
    }

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// A pool sized for bursts of ten that shrinks back to two: connections idle for 1 s are pruned, and maintenance runs
/// every 0.5 s, at most half of those above Min per pass.
/// </summary>
[ConnectionPool(Min = 2, Max = 10, IdleTimeoutMs = 1_000, HealthCheckIntervalMs = 500, Validate = nameof(RespondsAsync))]
public sealed partial class PruningPool
{
    private readonly string _connectionString;

    public PruningPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// One connection for everybody. The acquire timeout is long because the last of 10,000 queued rents waits for all
/// the others; the default <c>ValidateAfterIdleMs</c> (500 ms) means a connection handed straight from a return is not
/// validated again, as on a busy production pool.
/// </summary>
[ConnectionPool(Max = 1, AcquireTimeoutMs = 120_000, Validate = nameof(RespondsAsync))]
public sealed partial class SingleConnectionPool
{
    private readonly string _connectionString;

    public SingleConnectionPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// A pool with room for every rent of the fail-fast test: each rent opens its own connection. One failed open is one
/// attempt and three retries 100, 200 and 400 ms apart, about 0.7 s in all, against a 30 s acquire timeout.
/// </summary>
[ConnectionPool(Min = 0, Max = 20, AcquireTimeoutMs = 30_000, MaxRetryAttempts = 3, RetryDelayMs = 100)]
public sealed partial class WideFailFastPool
{
    private readonly string _connectionString;

    public WideFailFastPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>
/// A pool with room for two of the fail-fast test's twenty rents, so eighteen of them queue as waiters. One failed
/// open is one attempt and two retries 250 and 500 ms apart, about 0.75 s, against a 30 s acquire timeout.
/// </summary>
[ConnectionPool(Min = 0, Max = 2, AcquireTimeoutMs = 30_000, MaxRetryAttempts = 2, RetryDelayMs = 250)]
public sealed partial class NarrowFailFastPool
{
    private readonly string _connectionString;

    public NarrowFailFastPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>
/// The soak test's pool: everything short so that every path runs many times in a few seconds. Connections live at
/// most 3 s (20 % jitter) and are pruned after 1 s idle; maintenance (pruning, idle validation, refill) runs every
/// 0.5 s; validation skips connections used in the last 50 ms; failed opens retry twice, 20 and 40 ms apart; rents
/// wait at most 2 s by default.
/// </summary>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 50, IdleTimeoutMs = 1_000,
    HealthCheckIntervalMs = 500, MaxLifetimeMs = 3_000, LifetimeJitterPercent = 20, MaxRetryAttempts = 2, RetryDelayMs = 20, AcquireTimeoutMs = 2_000,
    ShutdownTimeoutMs = 10_000)]
public sealed partial class SoakPool
{
    private readonly string _connectionString;

    public SoakPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}
