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

/// <summary>
/// A pool whose database cannot be opened at first (the file does not exist and may not be created), and can after
/// <see cref="FailingAttempts"/> tries. Bounded so that a pool retrying in a loop shows up as a count, not a hang.
/// </summary>
[ConnectionPool(Min = 2, Max = 4, MaxRetryAttempts = 2, RetryDelayMs = 10)]
public sealed partial class UnreachableSqlitePool
{
    public const int FailingAttempts = 100;

    private readonly string _unreachable;
    private readonly string _reachable;
    private int _attempts;

    public UnreachableSqlitePool(string missingFile, string databaseFile)
    {
        _unreachable = new SqliteConnectionStringBuilder { DataSource = missingFile, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString;
        _reachable = new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ConnectionString;
    }

    public int Attempts => Volatile.Read(ref _attempts);

    private SqliteConnection Create()
    {
        bool unreachable = Interlocked.Increment(ref _attempts) <= FailingAttempts;
        var connection = new SqliteConnection(unreachable ? _unreachable : _reachable);
        connection.Open();
        return connection;
    }
}
