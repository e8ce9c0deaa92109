using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.Benchmarks.Postgres;

/// <summary>The query run per operation in the PostgreSQL benchmarks.</summary>
public enum PostgresQuery
{
    /// <summary><c>SELECT 1</c>: the pool, the driver and one round trip, almost no database work.</summary>
    Select1,

    /// <summary>A lookup by primary key in a table of <see cref="PostgresDatabase.Rows"/> rows, the key a parameter.</summary>
    IndexedLookup,
}

/// <summary>
/// The PostgreSQL server of a benchmark process, with the table the lookups read. It is the integration tests' fixture
/// (<see cref="PostgresCluster"/>, linked into this project): a throwaway cluster started from the installed binaries,
/// or the server named by <c>POOLGEN_PG_CONNECTION</c>. <see cref="Dispose"/> stops a throwaway cluster; so does the
/// end of the process, also when it ends with an unhandled exception or is stopped by a signal (Ctrl+C, <c>kill</c>,
/// <c>timeout</c>), so a failed or interrupted run leaves no server behind.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    /// <summary>Rows in the <c>poolgen_bench_items</c> table; keys run from 1 to this number.</summary>
    public const int Rows = 10_000;

    private const string LookupSql = "SELECT name FROM poolgen_bench_items WHERE id = $1";

    private readonly PostgresCluster _cluster = new();
    private readonly PosixSignalRegistration[] _signals;
    private int _stopped;

    private PostgresDatabase()
    {
        // A signal ends the process without raising ProcessExit, so each stops the server first; the handler does not
        // cancel the signal, which then ends the process as it would have.
        _signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Dispose()),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Dispose()),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => Dispose()),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, _ => Dispose()),
        ];
    }

    /// <summary>A connection string with Npgsql's pooling off: every <c>Open</c> is a new server connection.</summary>
    public string UnpooledConnectionString => _cluster.ConnectionString;

    /// <summary>Where the server came from, for the output.</summary>
    public string Origin => _cluster.Origin;

    /// <summary>Starts (or reaches) the server and creates and fills the table, dropping it first if it exists.</summary>
    public static PostgresDatabase Start()
    {
        var database = new PostgresDatabase();
        AppDomain.CurrentDomain.ProcessExit += database.OnProcessEnd;
        AppDomain.CurrentDomain.UnhandledException += database.OnProcessEnd;
        try
        {
            database._cluster.InitializeAsync().GetAwaiter().GetResult();
            database.Seed();
            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection string for an <see cref="NpgsqlDataSource"/> with Npgsql's own pool of <paramref name="max"/>
    /// connections. <paramref name="resetOnClose"/> false sets <c>No Reset On Close</c>: Npgsql then no longer sends
    /// <c>DISCARD ALL</c> ahead of the first command after each rent.
    /// </summary>
    public string PooledConnectionString(int max, bool resetOnClose = true) =>
        new NpgsqlConnectionStringBuilder(_cluster.ConnectionString)
        {
            Pooling = true,
            MinPoolSize = 0,
            MaxPoolSize = max,
            NoResetOnClose = !resetOnClose,
        }.ConnectionString;

    /// <summary>Runs the query on the connection and returns its one value. The same code runs for every pool.</summary>
    public static async Task<object?> ExecuteAsync(NpgsqlConnection connection, PostgresQuery query, int key)
    {
        if (query == PostgresQuery.Select1)
        {
            await using var select1 = new NpgsqlCommand("SELECT 1", connection);
            return await select1.ExecuteScalarAsync().ConfigureAwait(false);
        }

        await using var lookup = new NpgsqlCommand(LookupSql, connection);
        lookup.Parameters.Add(new NpgsqlParameter<int> { TypedValue = KeyFor(key) });
        return await lookup.ExecuteScalarAsync().ConfigureAwait(false);
    }

    /// <summary>Stops a throwaway cluster and deletes its folder; a server named in the environment is left running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessEnd;
        AppDomain.CurrentDomain.UnhandledException -= OnProcessEnd;
        NpgsqlConnection.ClearAllPools();
        _cluster.DisposeAsync().GetAwaiter().GetResult();

        // Not disposed: this may run inside one of their handlers. They only call this method, which runs once.
        GC.KeepAlive(_signals);
    }

    // Any integer maps onto an existing key, so callers can count up from anywhere.
    private static int KeyFor(int n) => (int)((uint)n % Rows) + 1;

    private void OnProcessEnd(object? sender, EventArgs e) => Dispose();

    private void Seed()
    {
        using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        connection.Open();
        using var seed = new NpgsqlCommand(
            "DROP TABLE IF EXISTS poolgen_bench_items;" +
            "CREATE TABLE poolgen_bench_items (id integer PRIMARY KEY, name text NOT NULL);" +
            $"INSERT INTO poolgen_bench_items (id, name) SELECT i, 'item ' || i FROM generate_series(1, {Rows}) AS i;" +
            "ANALYZE poolgen_bench_items;",
            connection);
        seed.ExecuteNonQuery();
    }
}
