using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PoolGen.IntegrationTests.Postgres;

// The pools of the reliability tests: dead connections, deadlines, retries, logs, provider pooling, shutdown and health.
// Settings the scenario depends on are on the attribute, as a user would write them; a logger, and a number a test
// varies, come in through the constructor and ConfigurePool.

/// <summary>
/// Shaped exactly like the sample's <c>PgOrdersDb</c>: an asynchronous factory, an asynchronous <c>SELECT 1</c>
/// validator that also checks the state, Min 2, Max 8, a 10 s acquire timeout, no <c>IsBroken</c>, and the default
/// <c>ValidateAfterIdleMs</c> (500 ms), so a connection in steady use is not validated when it is rented again. Only
/// the pool's own check of a <c>DbConnection</c>'s state can keep a connection that broke during a query from being
/// lent again.
/// </summary>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAliveAsync), AcquireTimeoutMs = 10_000)]
public sealed partial class OrdersShapedPool
{
    private readonly string _connectionString;

    public OrdersShapedPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static async ValueTask<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State != ConnectionState.Open)
        {
            return false;
        }

        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }
}

/// <summary>
/// A pool whose asynchronous factory passes the rent's token to <c>OpenAsync</c>. The acquire timeout is a constructor
/// argument so one class serves both a rent with its own timeout and one that relies on the pool's. Default retries.
/// </summary>
[ConnectionPool(Max = 4)]
public sealed partial class DeadlineAsyncFactoryPool
{
    private readonly string _connectionString;
    private readonly int _acquireTimeoutMs;

    public DeadlineAsyncFactoryPool(string connectionString, int acquireTimeoutMs)
    {
        _connectionString = connectionString;
        _acquireTimeoutMs = acquireTimeoutMs;
    }

    partial void ConfigurePool(PoolOptions options) => options.AcquireTimeoutMs = _acquireTimeoutMs;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>
/// The same with a synchronous factory (<c>Open()</c>, no token): the engine cannot cancel it, so it must stop waiting
/// for it at the rent's deadline and let it run on.
/// </summary>
[ConnectionPool(Max = 4)]
public sealed partial class DeadlineSyncFactoryPool
{
    private readonly string _connectionString;
    private readonly int _acquireTimeoutMs;

    public DeadlineSyncFactoryPool(string connectionString, int acquireTimeoutMs)
    {
        _connectionString = connectionString;
        _acquireTimeoutMs = acquireTimeoutMs;
    }

    partial void ConfigurePool(PoolOptions options) => options.AcquireTimeoutMs = _acquireTimeoutMs;

    private NpgsqlConnection Create()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A pool that retries failed opens three times (the default count), 10, 20 and 40 ms apart, so a rent that retries
/// everything gives up in well under a second; it logs to the logger it is given.
/// </summary>
[ConnectionPool(Max = 4, MaxRetryAttempts = 3, RetryDelayMs = 10, AcquireTimeoutMs = 10_000)]
public sealed partial class RetryingPool
{
    private readonly string _connectionString;
    private readonly ILogger _logger;

    public RetryingPool(string connectionString, ILogger logger)
    {
        _connectionString = connectionString;
        _logger = logger;
    }

    partial void ConfigurePool(PoolOptions options) => options.Logger = _logger;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>A plain pool that logs, for a connection string whose <c>Pooling</c> the test chooses.</summary>
[ConnectionPool(Max = 4)]
public sealed partial class ProviderPoolingPool
{
    private readonly string _connectionString;
    private readonly ILogger _logger;

    public ProviderPoolingPool(string connectionString, ILogger logger)
    {
        _connectionString = connectionString;
        _logger = logger;
    }

    partial void ConfigurePool(PoolOptions options) => options.Logger = _logger;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>
/// A pool that waits at most 0.5 s for leases at shutdown and logs; leak detection (which records where each lease was
/// rented) is on when the test passes a threshold.
/// </summary>
[ConnectionPool(Max = 2, ShutdownTimeoutMs = 500)]
public sealed partial class ShutdownPool
{
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly int _leakThresholdMs;

    public ShutdownPool(string connectionString, ILogger logger, int leakThresholdMs)
    {
        _connectionString = connectionString;
        _logger = logger;
        _leakThresholdMs = leakThresholdMs;
    }

    partial void ConfigurePool(PoolOptions options)
    {
        options.Logger = _logger;
        options.LeakThresholdMs = _leakThresholdMs;
    }

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}

/// <summary>
/// Two warm connections, maintenance (health check, idle validation, refill) every 0.5 s, validation on every rent,
/// one retry 50 ms after a failed open and rents that wait at most 1 s, so an outage shows in health at once and the
/// recovery within a second.
/// </summary>
[ConnectionPool(Min = 2, Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, HealthCheckIntervalMs = 500,
    MaxRetryAttempts = 1, RetryDelayMs = 50, AcquireTimeoutMs = 1_000)]
public sealed partial class HealthRecoveryPool
{
    private readonly string _connectionString;
    private readonly ILogger _logger;

    public HealthRecoveryPool(string connectionString, ILogger logger)
    {
        _connectionString = connectionString;
        _logger = logger;
    }

    partial void ConfigurePool(PoolOptions options) => options.Logger = _logger;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}
