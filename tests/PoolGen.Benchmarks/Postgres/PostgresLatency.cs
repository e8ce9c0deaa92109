using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Benchmarks.Postgres;

/// <summary>
/// PostgreSQL latency mode (<c>--pg-latency</c>): the workload of <see cref="PostgresBenchmarks"/> run directly,
/// recording how long each operation took (rent, query, return, in <see cref="Stopwatch"/> ticks, into arrays
/// allocated beforehand) and how many bytes it allocated, which BenchmarkDotNet does not report per operation.
/// Per pool and configuration it prints throughput, p50 and p99 latency (of the whole operation, and of the rent alone:
/// from the call until the connection is in hand, waiting included), bytes per operation on all threads
/// (<see cref="GC.GetTotalAllocatedBytes(bool)"/>), and the bytes and the time per operation spent inside the pool's own
/// calls (rent and return, on the calling thread up to their first await: what the pool's code costs the caller, not
/// the time spent waiting for a connection), then PoolGen's ratios to each Npgsql pool.
/// Every pool runs a warm-up round and then <see cref="Rounds"/> measured rounds; the rounds alternate between the
/// pools (A B C, then C B A) so that a change in the machine's load does not land on one pool only.
/// </summary>
internal static class PostgresLatency
{
    /// <summary>Concurrent workers, as in <see cref="PostgresBenchmarks"/>.</summary>
    public const int Workers = PostgresBenchmarks.Workers;

    /// <summary>Operations per worker in each measured round.</summary>
    public const int OperationsPerWorker = 500;

    /// <summary>Measured rounds per pool and configuration.</summary>
    public const int Rounds = 2;

    private const int WarmUpOperationsPerWorker = 100;

    private static readonly int[] Maxes = [8, 32];

    /// <summary>Starts a throwaway server, measures every configuration, prints the results and stops the server.</summary>
    /// <returns>The process exit code, 0.</returns>
    public static int Run()
    {
        Console.WriteLine(
            $"PostgreSQL latency: {Workers} workers, {Rounds} rounds of {Workers * OperationsPerWorker:N0} operations per pool " +
            $"and configuration after a warm-up round; {Environment.ProcessorCount} logical cores; {LoadAverage()}");
        using (PostgresDatabase database = PostgresDatabase.Start())
        {
            Console.WriteLine($"server: {database.Origin}");
            foreach (int max in Maxes)
            {
                foreach (PostgresQuery query in Enum.GetValues<PostgresQuery>())
                {
                    Measure(database, max, query);
                }
            }
        }

        Console.WriteLine($"done; {LoadAverage()}");
        return 0;
    }

    private static void Measure(PostgresDatabase database, int max, PostgresQuery query)
    {
        using NpgsqlDataSource npgsql = NpgsqlDataSource.Create(database.PooledConnectionString(max));
        using NpgsqlDataSource npgsqlNoReset = NpgsqlDataSource.Create(database.PooledConnectionString(max, resetOnClose: false));
        using var generated = new PostgresConnectionPool(database.UnpooledConnectionString, max);
        Contender[] contenders =
        [
            new("Npgsql pool", (recorder, worker, round) => NpgsqlWorker(npgsql, query, recorder, worker, round)),
            new("Npgsql pool, No Reset On Close", (recorder, worker, round) => NpgsqlWorker(npgsqlNoReset, query, recorder, worker, round)),
            new("PoolGen", (recorder, worker, round) => PoolGenWorker(generated, query, recorder, worker, round)),
        ];

        foreach (Contender contender in contenders)
        {
            RunRound(contender, Recorder.WarmUp);
        }

        for (int round = 0; round < Rounds; round++)
        {
            foreach (Contender contender in round % 2 == 0 ? contenders : contenders.Reverse())
            {
                RunRound(contender, round);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Max {max}, {query}, {Workers} workers");
        Console.WriteLine($"  {"pool",-32} {"ops/s",9} {"p50 us",9} {"p99 us",9} {"rent p50",9} {"rent p99",9} {"B/op",8} {"pool calls B/op",16} {"pool calls us/op",17}");
        Result[] results = contenders.Select(c => c.Recorder.Summarize()).ToArray();
        for (int i = 0; i < contenders.Length; i++)
        {
            Result r = results[i];
            Console.WriteLine(
                $"  {contenders[i].Name,-32} {r.OperationsPerSecond,9:N0} {r.P50Microseconds,9:N0} {r.P99Microseconds,9:N0} " +
                $"{r.RentP50Microseconds,9:N1} {r.RentP99Microseconds,9:N1} " +
                $"{r.BytesPerOperation,8:N0} {r.PoolCallBytesPerOperation,16:N1} {r.PoolCallMicroseconds,17:N2}");
        }

        Result poolGen = results[2];
        for (int i = 0; i < 2; i++)
        {
            Result baseline = results[i];
            Console.WriteLine(
                $"  PoolGen / {contenders[i].Name}: throughput {poolGen.OperationsPerSecond / baseline.OperationsPerSecond:0.00}x, " +
                $"p50 {poolGen.P50Microseconds / baseline.P50Microseconds:0.00}x, p99 {poolGen.P99Microseconds / baseline.P99Microseconds:0.00}x, " +
                $"bytes {poolGen.BytesPerOperation / baseline.BytesPerOperation:0.00}x");
        }
    }

    private static void RunRound(Contender contender, int round)
    {
        Task[] workers = contender.Workers;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();
        for (int worker = 0; worker < workers.Length; worker++)
        {
            workers[worker] = contender.Start(contender.Recorder, worker, round);
        }

        Task.WaitAll(workers);
        long elapsed = Stopwatch.GetTimestamp() - started;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        if (round != Recorder.WarmUp)
        {
            contender.Recorder.AddRound(elapsed, bytes);
        }
    }

    // Each worker first yields, so that all of them start on the thread pool rather than one after another here. An
    // operation's time runs from just before the rent to just after the return completed; waiting for a connection is
    // part of it, as it is for the caller.

    private static async Task NpgsqlWorker(NpgsqlDataSource dataSource, PostgresQuery query, Recorder recorder, int worker, int round)
    {
        await Task.Yield();
        (long[] samples, long[] rentSamples, int offset, int operations) = recorder.Slice(worker, round);
        long poolCallBytes = 0;
        long poolCallTicks = 0;
        for (int i = 0; i < operations; i++)
        {
            long started = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long callStarted = Stopwatch.GetTimestamp();
            ValueTask<NpgsqlConnection> opening = dataSource.OpenConnectionAsync();
            poolCallTicks += Stopwatch.GetTimestamp() - callStarted;
            poolCallBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            NpgsqlConnection connection = await opening.ConfigureAwait(false);
            rentSamples[offset + i] = Stopwatch.GetTimestamp() - started;
            try
            {
                await PostgresDatabase.ExecuteAsync(connection, query, KeyFor(worker, round, i)).ConfigureAwait(false);
            }
            finally
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                callStarted = Stopwatch.GetTimestamp();
                ValueTask closing = connection.DisposeAsync();
                poolCallTicks += Stopwatch.GetTimestamp() - callStarted;
                poolCallBytes += GC.GetAllocatedBytesForCurrentThread() - before;
                await closing.ConfigureAwait(false);
            }

            samples[offset + i] = Stopwatch.GetTimestamp() - started;
        }

        recorder.AddPoolCalls(round, poolCallBytes, poolCallTicks);
    }

    private static async Task PoolGenWorker(PostgresConnectionPool pool, PostgresQuery query, Recorder recorder, int worker, int round)
    {
        await Task.Yield();
        (long[] samples, long[] rentSamples, int offset, int operations) = recorder.Slice(worker, round);
        long poolCallBytes = 0;
        long poolCallTicks = 0;
        for (int i = 0; i < operations; i++)
        {
            long started = Stopwatch.GetTimestamp();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long callStarted = Stopwatch.GetTimestamp();
            ValueTask<PostgresConnectionPool.Lease> renting = pool.RentAsync();
            poolCallTicks += Stopwatch.GetTimestamp() - callStarted;
            poolCallBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            PostgresConnectionPool.Lease lease = await renting.ConfigureAwait(false);
            rentSamples[offset + i] = Stopwatch.GetTimestamp() - started;
            try
            {
                await PostgresDatabase.ExecuteAsync(lease.Connection, query, KeyFor(worker, round, i)).ConfigureAwait(false);
            }
            finally
            {
                before = GC.GetAllocatedBytesForCurrentThread();
                callStarted = Stopwatch.GetTimestamp();
                ValueTask returning = lease.DisposeAsync();
                poolCallTicks += Stopwatch.GetTimestamp() - callStarted;
                poolCallBytes += GC.GetAllocatedBytesForCurrentThread() - before;
                await returning.ConfigureAwait(false);
            }

            samples[offset + i] = Stopwatch.GetTimestamp() - started;
        }

        recorder.AddPoolCalls(round, poolCallBytes, poolCallTicks);
    }

    private static int KeyFor(int worker, int round, int operation) =>
        (((round + 1) * Workers) + worker) * OperationsPerWorker + operation;

    private static string LoadAverage()
    {
        const string LoadAverageFile = "/proc/loadavg";
        return File.Exists(LoadAverageFile)
            ? "load average " + string.Join(' ', File.ReadAllText(LoadAverageFile).Split(' ').Take(3))
            : "load average unknown";
    }

    private sealed class Contender(string name, Func<Recorder, int, int, Task> start)
    {
        public string Name { get; } = name;

        public Func<Recorder, int, int, Task> Start { get; } = start;

        public Recorder Recorder { get; } = new();

        public Task[] Workers { get; } = new Task[PostgresLatency.Workers];
    }

    private readonly record struct Result(
        double OperationsPerSecond, double P50Microseconds, double P99Microseconds, double BytesPerOperation, double PoolCallBytesPerOperation,
        double PoolCallMicroseconds, double RentP50Microseconds, double RentP99Microseconds);

    /// <summary>One pool's samples over all measured rounds; each worker writes only its own array.</summary>
    private sealed class Recorder
    {
        public const int WarmUp = -1;

        private readonly long[][] _latencies = Enumerable.Range(0, Workers).Select(_ => new long[Rounds * OperationsPerWorker]).ToArray();
        private readonly long[][] _rentLatencies = Enumerable.Range(0, Workers).Select(_ => new long[Rounds * OperationsPerWorker]).ToArray();
        private readonly long[] _warmUpLatencies = new long[WarmUpOperationsPerWorker * Workers];
        private readonly long[] _warmUpRentLatencies = new long[WarmUpOperationsPerWorker * Workers];
        private long _poolCallBytes;
        private long _poolCallTicks;
        private long _elapsedTicks;
        private long _bytes;
        private int _rounds;

        /// <summary>Where a worker writes its operations' times, and the times of their rents alone.</summary>
        public (long[] Samples, long[] RentSamples, int Offset, int Operations) Slice(int worker, int round) =>
            round == WarmUp
                ? (_warmUpLatencies, _warmUpRentLatencies, worker * WarmUpOperationsPerWorker, WarmUpOperationsPerWorker)
                : (_latencies[worker], _rentLatencies[worker], round * OperationsPerWorker, OperationsPerWorker);

        public void AddPoolCalls(int round, long bytes, long ticks)
        {
            if (round != WarmUp)
            {
                System.Threading.Interlocked.Add(ref _poolCallBytes, bytes);
                System.Threading.Interlocked.Add(ref _poolCallTicks, ticks);
            }
        }

        public void AddRound(long elapsedTicks, long bytes)
        {
            _elapsedTicks += elapsedTicks;
            _bytes += bytes;
            _rounds++;
        }

        public Result Summarize()
        {
            long[] all = _latencies.SelectMany(l => l).ToArray();
            Array.Sort(all);
            long[] rents = _rentLatencies.SelectMany(l => l).ToArray();
            Array.Sort(rents);
            double operations = (double)_rounds * Workers * OperationsPerWorker;
            return new Result(
                operations * Stopwatch.Frequency / _elapsedTicks,
                ToMicroseconds(all[all.Length / 2]),
                ToMicroseconds(all[(int)(all.Length * 0.99)]),
                _bytes / operations,
                _poolCallBytes / operations,
                ToMicroseconds(_poolCallTicks) / operations,
                ToMicroseconds(rents[rents.Length / 2]),
                ToMicroseconds(rents[(int)(rents.Length * 0.99)]));
        }

        private static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
    }
}
