using System.Data;
using Microsoft.Data.SqlClient;

namespace PoolGen.IntegrationTests.SqlServer;

/// <summary>
/// A pool of <see cref="SqlConnection"/>s whose factory does not connect: the address is unreachable on purpose, so
/// these tests prove the generated pool compiles against SqlClient and manages the objects without any server. Its
/// connections are never opened, so the default state check, which would close each of them as broken, is off.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(IsUsable), AcquireTimeoutMs = 5_000, CheckConnectionState = false)]
public sealed partial class UnopenedSqlServerPool
{
    public const string UnreachableConnectionString =
        "Server=127.0.0.1,1;Database=poolgen;User Id=poolgen;Password=not-used;Encrypt=False;Connect Timeout=1;Pooling=False";

    private int _created;
    private int _disposed;

    public int CreatedByFactory => Volatile.Read(ref _created);

    /// <summary>Connections the pool closed, seen through SqlConnection's own Disposed event.</summary>
    public int DisposedConnections => Volatile.Read(ref _disposed);

    private SqlConnection Create()
    {
        var connection = new SqlConnection(UnreachableConnectionString);
        connection.Disposed += (_, _) => Interlocked.Increment(ref _disposed);
        Interlocked.Increment(ref _created);
        return connection;
    }

    private static bool IsUsable(SqlConnection connection) => connection.State != ConnectionState.Broken;
}

/// <summary>A pool for a real server, named by POOLGEN_SQLSERVER_CONNECTION.</summary>
[ConnectionPool(Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0)]
public sealed partial class RealSqlServerPool
{
    private readonly string _connectionString;

    public RealSqlServerPool(string connectionString) =>
        _connectionString = new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    private async Task<SqlConnection> CreateAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async ValueTask<bool> RespondsAsync(SqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new SqlCommand("SELECT 1", connection);
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception ex) when (ex is SqlException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
