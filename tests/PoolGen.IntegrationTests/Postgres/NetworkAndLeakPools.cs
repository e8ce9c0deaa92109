using Microsoft.Extensions.Logging;
using Npgsql;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A pool behind a network that can silently drop its flows. Maintenance runs every 0.5 s and validates connections
/// idle for 0.2 s or more; a validation gets 0.5 s before the connection counts as dead. Two connections stay warm.
/// </summary>
[ConnectionPool(Min = 2, Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 200, ValidationTimeoutMs = 500,
    HealthCheckIntervalMs = 500, AcquireTimeoutMs = 10_000)]
public sealed partial class DroppedNetworkPool
{
    private readonly string _connectionString;

    public DroppedNetworkPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>
/// The same without maintenance (<c>HealthCheckIntervalMs = 0</c>) and validating on every rent, so only a rent can find
/// a dropped connection.
/// </summary>
[ConnectionPool(Max = 2, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, ValidationTimeoutMs = 500,
    HealthCheckIntervalMs = 0, AcquireTimeoutMs = 10_000)]
public sealed partial class RentValidatedPool
{
    private readonly string _connectionString;

    public RentValidatedPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>A pool that reports leases held for more than 0.3 s to the logger it is given.</summary>
[ConnectionPool(Max = 4, LeakThresholdMs = 300)]
public sealed partial class LeakWatchedPool
{
    private readonly string _connectionString;
    private readonly ILogger _logger;

    public LeakWatchedPool(string connectionString, ILogger logger)
    {
        _connectionString = connectionString;
        _logger = logger;
    }

    partial void ConfigurePool(PoolOptions options) => options.Logger = _logger;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}
