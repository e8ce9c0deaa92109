using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// Hand-off latency (<c>--handoff</c>): how long a waiting rent takes to run again after another worker returns the
/// connection it waits for. Two workers share a pool of one connection and take turns: the holder yields (so the
/// other reaches its rent and waits), writes a timestamp, and returns; the waiter reads the clock as soon as its rent
/// completes. Only rents that really waited are counted. BenchmarkDotNet measures throughput, not this, so it is a
/// program mode of its own that prints the mean and percentiles.
/// </summary>
internal static class HandOffLatency
{
    /// <summary>Hand-offs measured per pool, after as many discarded to warm up.</summary>
    public const int HandOffs = 20_000;

    /// <summary>Measures every pool and prints one line each.</summary>
    /// <returns>The process exit code, 0.</returns>
    public static int Run()
    {
        Console.WriteLine($"Hand-off latency, return to waiter running, {HandOffs:N0} hand-offs per pool, 2 workers, 1 connection");
        Report("Channel pool", recorder =>
        {
            var pool = new ChannelPool<FakeConnection>(FakeConnection.CreateMany(1));
            return Task.WhenAll(ChannelWorker(pool, recorder), ChannelWorker(pool, recorder));
        });
        Report("SemaphoreSlim pool", recorder =>
        {
            var pool = new SemaphorePool<FakeConnection>(FakeConnection.CreateMany(1));
            return Task.WhenAll(SemaphoreWorker(pool, recorder), SemaphoreWorker(pool, recorder));
        });
        Report("PoolGen", async recorder =>
        {
            using var pool = new SizedFakeConnectionPool(1);
            await Task.WhenAll(PoolGenWorker(pool, recorder), PoolGenWorker(pool, recorder)).ConfigureAwait(false);
        });
        return 0;
    }

    private static void Report(string name, Func<Recorder, Task> run)
    {
        run(new Recorder(HandOffs)).GetAwaiter().GetResult();
        var recorder = new Recorder(HandOffs);
        run(recorder).GetAwaiter().GetResult();

        long[] samples = recorder.Samples;
        Array.Sort(samples);
        double mean = 0;
        foreach (long sample in samples)
        {
            mean += sample;
        }

        mean /= samples.Length;
        Console.WriteLine(
            $"{name,-20} mean {ToMicroseconds(mean),7:0.00} us   p50 {ToMicroseconds(samples[samples.Length / 2]),7:0.00} us   " +
            $"p99 {ToMicroseconds(samples[samples.Length * 99 / 100]),7:0.00} us");
    }

    private static double ToMicroseconds(double ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    private static async Task ChannelWorker(ChannelPool<FakeConnection> pool, Recorder recorder)
    {
        while (!recorder.IsDone)
        {
            ValueTask<FakeConnection> rent = pool.RentAsync();
            bool waited = !rent.IsCompleted;
            FakeConnection connection = await rent.ConfigureAwait(false);
            recorder.AfterRent(waited);
            await Task.Yield();
            recorder.BeforeReturn();
            pool.Return(connection);
        }
    }

    private static async Task SemaphoreWorker(SemaphorePool<FakeConnection> pool, Recorder recorder)
    {
        while (!recorder.IsDone)
        {
            ValueTask<FakeConnection> rent = pool.RentAsync();
            bool waited = !rent.IsCompleted;
            FakeConnection connection = await rent.ConfigureAwait(false);
            recorder.AfterRent(waited);
            await Task.Yield();
            recorder.BeforeReturn();
            pool.Return(connection);
        }
    }

    private static async Task PoolGenWorker(SizedFakeConnectionPool pool, Recorder recorder)
    {
        while (!recorder.IsDone)
        {
            ValueTask<SizedFakeConnectionPool.Lease> rent = pool.RentAsync();
            bool waited = !rent.IsCompleted;
            SizedFakeConnectionPool.Lease lease = await rent.ConfigureAwait(false);
            recorder.AfterRent(waited);
            await Task.Yield();
            recorder.BeforeReturn();
            lease.Dispose();
        }
    }

    /// <summary>The returner's timestamp and the waiters' samples, in <see cref="Stopwatch"/> ticks.</summary>
    private sealed class Recorder(int count)
    {
        private readonly long[] _samples = new long[count];
        private long _returnedAt;
        private int _recorded;

        public bool IsDone => Volatile.Read(ref _recorded) >= _samples.Length;

        public long[] Samples => _samples;

        public void BeforeReturn() => Volatile.Write(ref _returnedAt, Stopwatch.GetTimestamp());

        public void AfterRent(bool waited)
        {
            long now = Stopwatch.GetTimestamp();
            if (!waited)
            {
                return;
            }

            int index = Interlocked.Increment(ref _recorded) - 1;
            if (index < _samples.Length)
            {
                _samples[index] = now - Volatile.Read(ref _returnedAt);
            }
        }
    }
}
