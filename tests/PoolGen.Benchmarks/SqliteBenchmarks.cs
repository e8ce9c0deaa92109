using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Data.Sqlite;

namespace PoolGen.Benchmarks;

/// <summary>
/// A query per operation on a real SQLite database in a temporary file: PoolGen pooling connections opened with
/// <c>Pooling=False</c> against Microsoft.Data.Sqlite's built-in pool (<c>Pooling=True</c>, a new
/// <see cref="SqliteConnection"/> and <c>Open</c> per operation, as its documentation recommends). Both run the same
/// command on the connection they get, on one thread and with <see cref="ConcurrentWorkers"/> concurrent workers.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SqliteBenchmarks
{
    /// <summary>The query run per operation.</summary>
    public enum QueryKind
    {
        /// <summary><c>SELECT 1</c>: the pool and the driver, almost no database work.</summary>
        Select1,

        /// <summary>A lookup through a secondary index on a table of <see cref="Rows"/> rows.</summary>
        IndexedLookup,
    }

    /// <summary>Workers in the concurrent benchmarks, also the generated pool's <c>Max</c>.</summary>
    public const int ConcurrentWorkers = 8;

    /// <summary>Operations per invocation of the concurrent benchmarks, across all workers.</summary>
    public const int ConcurrentOperations = 512;

    /// <summary>Rows seeded into the lookup table.</summary>
    public const int Rows = 1_000;

    private const string SingleCategory = "1 worker";
    private const string ConcurrentCategory = "8 workers";

    private string _path = null!;
    private string _builtInConnectionString = null!;
    private SqliteConnectionPool _generated = null!;
    private Task[] _workers = null!;
    private int _nextKey;

    [Params(QueryKind.Select1, QueryKind.IndexedLookup)]
    public QueryKind Query { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"poolgen-bench-{Guid.NewGuid():N}.db");
        _builtInConnectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true }.ToString();
        string unpooled = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();
        Seed(unpooled);

        _generated = new SqliteConnectionPool(unpooled, ConcurrentWorkers);
        _workers = new Task[ConcurrentWorkers];

        // Open every connection of both pools once, so that the runs measure reuse, not opening.
        BuiltInConcurrent().GetAwaiter().GetResult();
        PoolGenConcurrent().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generated.Dispose();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [BenchmarkCategory(SingleCategory)]
    [Benchmark(Baseline = true, Description = "Microsoft.Data.Sqlite pool: new + Open")]
    public object? BuiltInSingle()
    {
        using var connection = new SqliteConnection(_builtInConnectionString);
        connection.Open();
        return Execute(connection);
    }

    [BenchmarkCategory(SingleCategory)]
    [Benchmark(Description = "PoolGen: Rent")]
    public object? PoolGenSingle()
    {
        using SqliteConnectionPool.Lease lease = _generated.Rent();
        return Execute(lease.Connection);
    }

    [BenchmarkCategory(ConcurrentCategory)]
    [Benchmark(Baseline = true, OperationsPerInvoke = ConcurrentOperations, Description = "Microsoft.Data.Sqlite pool: new + OpenAsync")]
    public Task BuiltInConcurrent()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = BuiltInWorker(ConcurrentOperations / ConcurrentWorkers);
        }

        return Task.WhenAll(_workers);
    }

    [BenchmarkCategory(ConcurrentCategory)]
    [Benchmark(OperationsPerInvoke = ConcurrentOperations, Description = "PoolGen: RentAsync")]
    public Task PoolGenConcurrent()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = PoolGenWorker(ConcurrentOperations / ConcurrentWorkers);
        }

        return Task.WhenAll(_workers);
    }

    private async Task BuiltInWorker(int operations)
    {
        await Task.Yield();
        for (int i = 0; i < operations; i++)
        {
            await using var connection = new SqliteConnection(_builtInConnectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            Execute(connection);
        }
    }

    private async Task PoolGenWorker(int operations)
    {
        await Task.Yield();
        for (int i = 0; i < operations; i++)
        {
            await using SqliteConnectionPool.Lease lease = await _generated.RentAsync().ConfigureAwait(false);
            Execute(lease.Connection);
        }
    }

    // The same command on either side. SQLite runs every command synchronously, so ExecuteScalarAsync would only add
    // a completed task to both.
    private object? Execute(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        if (Query == QueryKind.Select1)
        {
            command.CommandText = "SELECT 1";
        }
        else
        {
            command.CommandText = "SELECT name FROM items WHERE code = $code";
            command.Parameters.AddWithValue("$code", $"code-{(uint)Interlocked.Increment(ref _nextKey) % Rows}");
        }

        return command.ExecuteScalar();
    }

    private static void Seed(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText =
            "CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL);" +
            "CREATE UNIQUE INDEX ix_items_code ON items (code);";
        create.ExecuteNonQuery();

        using SqliteCommand insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO items (id, code, name) VALUES ($id, $code, $name)";
        SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Integer);
        SqliteParameter code = insert.Parameters.Add("$code", SqliteType.Text);
        SqliteParameter name = insert.Parameters.Add("$name", SqliteType.Text);
        for (int i = 0; i < Rows; i++)
        {
            id.Value = i;
            code.Value = $"code-{i}";
            name.Value = $"item {i}";
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
