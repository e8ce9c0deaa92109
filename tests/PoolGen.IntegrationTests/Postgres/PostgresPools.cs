using Npgsql;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A pool over real PostgreSQL connections with an asynchronous factory and a validator that makes a round trip:
/// after a server-side kill the client still reports <c>Open</c>, so only a query tells a dead connection apart.
/// <c>ValidateAfterIdleMs = 0</c> validates on every rent.
/// </summary>
[ConnectionPool(Max = 8, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, AcquireTimeoutMs = 30_000)]
public sealed partial class PostgresPool
{
    private readonly string _connectionString;

    public PostgresPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>A pool that keeps three connections warm, to see that disposing it closes idle and returned ones alike.</summary>
[ConnectionPool(Min = 3, Max = 8, Validate = nameof(RespondsAsync))]
public sealed partial class WarmPostgresPool
{
    private readonly string _connectionString;

    public WarmPostgresPool(string connectionString) => _connectionString = connectionString;

    // A Task-returning factory, the other asynchronous shape the generator accepts.
    private async Task<NpgsqlConnection> CreateConnectionAsync(CancellationToken cancellationToken) =>
        await PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

internal static class PostgresProbe
{
    /// <summary>True when the server answers <c>SELECT 1</c>; false when the connection is broken in any way.</summary>
    public static async ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    public static async Task<int> BackendPidAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>How every PostgreSQL pool of these tests opens a connection.</summary>
internal static class PostgresConnections
{
    /// <summary>Opens a connection; one that fails to open is disposed, so a refused attempt leaves nothing behind.</summary>
    public static async ValueTask<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
