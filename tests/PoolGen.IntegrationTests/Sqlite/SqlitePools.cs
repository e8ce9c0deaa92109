using System.Data;
using Microsoft.Data.Sqlite;

namespace PoolGen.IntegrationTests.Sqlite;

/// <summary>
/// The README's shape: a synchronous factory that opens the connection and a cheap state check as validator.
/// Microsoft.Data.Sqlite's own pooling is off in the connection string, so every open is a real file handle.
/// </summary>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAlive), AcquireTimeoutMs = 30_000)]
public sealed partial class SqlitePool
{
    private readonly string _connectionString;
    private int _opened;

    public SqlitePool(string databaseFile) =>
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Pooling = false,
            DefaultTimeout = 30,
        }.ConnectionString;

    /// <summary>How many connections the factory has opened (counted by the factory, not by the pool).</summary>
    public int Opened => Volatile.Read(ref _opened);

    private SqliteConnection Create()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (SqliteCommand command = connection.CreateCommand())
        {
            // Writers queue behind one another on SQLite's lock instead of failing with "database is locked".
            command.CommandText = "PRAGMA busy_timeout = 30000;";
            command.ExecuteNonQuery();
        }

        Interlocked.Increment(ref _opened);
        return connection;
    }

    private static bool IsAlive(SqliteConnection connection) => connection.State == ConnectionState.Open;
}

/// <summary>
/// A pool with no Min, sized per test through the <c>ConfigurePool</c> hook, so counts depend only on what the test
/// does (no refill to Min in the background).
/// </summary>
[ConnectionPool(Max = 100)]
public sealed partial class SizedSqlitePool
{
    private readonly string _connectionString;
    private readonly int _max;
    private readonly int _acquireTimeoutMs;

    public SizedSqlitePool(string databaseFile, int max, int acquireTimeoutMs = 30_000)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ConnectionString;
        _max = max;
        _acquireTimeoutMs = acquireTimeoutMs;
    }

    partial void ConfigurePool(PoolOptions options)
    {
        options.Max = _max;
        options.AcquireTimeoutMs = _acquireTimeoutMs;
    }

    private SqliteConnection Create()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
