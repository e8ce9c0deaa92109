using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace PoolGen.Benchmarks.Postgres;

/// <summary>
/// A query per operation on a real PostgreSQL server (a throwaway cluster this process starts and stops):
/// <see cref="Workers"/> asynchronous workers share a pool of <see cref="Max"/> connections. PoolGen pools connections
/// opened with <c>Pooling=false</c>; Npgsql's own pool is an <see cref="NpgsqlDataSource"/> with
/// <c>Maximum Pool Size</c> = <see cref="Max"/> and <c>OpenConnectionAsync</c> per operation, as its documentation
/// recommends, once as configured by default and once with <c>No Reset On Close</c>, which skips the
/// <c>DISCARD ALL</c> Npgsql sends after each rent (PoolGen's pool resets nothing). Every operation runs the same
/// command code. Each invocation does <see cref="Operations"/> operations across all workers, so times are per
/// operation. Latency percentiles are measured by <c>--pg-latency</c> (<see cref="PostgresLatency"/>), not here.
/// </summary>
[MemoryDiagnoser]
public class PostgresBenchmarks
{
    /// <summary>Concurrent workers, more than or as many as the pool's connections.</summary>
    public const int Workers = 32;

    /// <summary>Operations per worker per invocation.</summary>
    public const int OperationsPerWorker = 64;

    /// <summary>Operations per invocation, across all workers.</summary>
    public const int Operations = Workers * OperationsPerWorker;

    private PostgresDatabase _database = null!;
    private NpgsqlDataSource _npgsql = null!;
    private NpgsqlDataSource _npgsqlNoReset = null!;
    private PostgresConnectionPool _generated = null!;
    private readonly Task[] _workers = new Task[Workers];
    private int _nextKey;

    /// <summary>Connections in each pool.</summary>
    [Params(8, 32)]
    public int Max { get; set; }

    [Params(PostgresQuery.Select1, PostgresQuery.IndexedLookup)]
    public PostgresQuery Query { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _database = PostgresDatabase.Start();
        try
        {
            _npgsql = NpgsqlDataSource.Create(_database.PooledConnectionString(Max));
            _npgsqlNoReset = NpgsqlDataSource.Create(_database.PooledConnectionString(Max, resetOnClose: false));
            _generated = new PostgresConnectionPool(_database.UnpooledConnectionString, Max);

            // Open every connection of every pool once, so that the runs measure reuse, not opening.
            Npgsql().GetAwaiter().GetResult();
            NpgsqlNoReset().GetAwaiter().GetResult();
            PoolGen().GetAwaiter().GetResult();
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _generated?.Dispose();
        _npgsqlNoReset?.Dispose();
        _npgsql?.Dispose();
        _database?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Npgsql pool: OpenConnectionAsync")]
    public Task Npgsql()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = NpgsqlWorker(_npgsql, NextKeys());
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Npgsql pool, No Reset On Close")]
    public Task NpgsqlNoReset()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = NpgsqlWorker(_npgsqlNoReset, NextKeys());
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "PoolGen: RentAsync")]
    public Task PoolGen()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = PoolGenWorker(NextKeys());
        }

        return Task.WhenAll(_workers);
    }

    // A worker's keys follow one another; every worker and invocation starts elsewhere in the table.
    private int NextKeys() => Interlocked.Add(ref _nextKey, OperationsPerWorker);

    // Each worker first yields, so that all of them start on the thread pool rather than one after another here.

    private async Task NpgsqlWorker(NpgsqlDataSource dataSource, int firstKey)
    {
        await Task.Yield();
        for (int i = 0; i < OperationsPerWorker; i++)
        {
            await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
            await PostgresDatabase.ExecuteAsync(connection, Query, firstKey + i).ConfigureAwait(false);
        }
    }

    private async Task PoolGenWorker(int firstKey)
    {
        await Task.Yield();
        for (int i = 0; i < OperationsPerWorker; i++)
        {
            await using PostgresConnectionPool.Lease lease = await _generated.RentAsync().ConfigureAwait(false);
            await PostgresDatabase.ExecuteAsync(lease.Connection, Query, firstKey + i).ConfigureAwait(false);
        }
    }
}
