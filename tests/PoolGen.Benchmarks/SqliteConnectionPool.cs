using System.Data;
using Microsoft.Data.Sqlite;

namespace PoolGen.Benchmarks;

/// <summary>
/// A generated pool of SQLite connections, written as the README recommends: the connection string turns
/// Microsoft.Data.Sqlite's own pooling off, so this pool is the only one.
/// </summary>
[ConnectionPool(Max = 8, Validate = nameof(IsAlive))]
public sealed partial class SqliteConnectionPool
{
    private readonly string _connectionString;
    private readonly int _max;

    /// <param name="connectionString">Should contain <c>Pooling=False</c>.</param>
    /// <param name="max">The pool's <c>Max</c>.</param>
    public SqliteConnectionPool(string connectionString, int max)
    {
        _connectionString = connectionString;
        _max = max;
    }

    private SqliteConnection Create()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static bool IsAlive(SqliteConnection connection) => connection.State == ConnectionState.Open;

    partial void ConfigurePool(PoolOptions options) => options.Max = _max;
}
