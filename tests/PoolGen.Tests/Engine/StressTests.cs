using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class StressTests
{
    [Fact]
    public async Task ManyTasks_WithRandomCancellationAndTimeouts_NeverShareAConnectionOrLoseOne()
    {
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => { o.Max = 4; o.ValidateAfterIdleMs = 0; });
        var runFor = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();
        int doubleLends = 0, served = 0, timedOut = 0, canceled = 0;

        // Synchronous rents block their thread while they wait, so they get threads of their own: on a small thread
        // pool they would starve the asynchronous rents' continuations, which is the application's problem, not the pool's.
        async Task Worker(int seed, bool synchronous)
        {
            var random = new Random(seed);
            while (clock.Elapsed < runFor)
            {
                using var cancellation = new CancellationTokenSource();
                int roll = random.Next(10);
                if (roll == 0)
                {
                    cancellation.CancelAfter(random.Next(0, 3));
                }

                try
                {
                    TimeSpan timeout = TimeSpan.FromMilliseconds(roll == 1 ? random.Next(0, 3) : 1_000);
                    FakePool.Lease lease = synchronous ? pool.Rent(timeout) : await pool.RentAsync(timeout, cancellation.Token);
                    FakeConnection connection = lease.Connection;
                    if (connection.Enter() != 1 || connection.IsDisposed)
                    {
                        Interlocked.Increment(ref doubleLends);
                    }

                    if (!synchronous && random.Next(4) == 0)
                    {
                        await Task.Yield();
                    }

                    connection.Exit();
                    switch (random.Next(20))
                    {
                        case 0: lease.Invalidate(); lease.Dispose(); break;
                        case 1: connection.Broken = true; lease.Dispose(); break;
                        case 2: await lease.DisposeAsync(); lease.Dispose(); break;
                        default: lease.Dispose(); break;
                    }

                    Interlocked.Increment(ref served);
                }
                catch (PoolTimeoutException)
                {
                    Interlocked.Increment(ref timedOut);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref canceled);
                }
            }
        }

        var workers = Enumerable.Range(0, 12).Select(seed => Task.Run(() => Worker(seed, synchronous: false)))
            .Concat(Enumerable.Range(12, 4).Select(seed => Task.Factory.StartNew(
                () => Worker(seed, synchronous: true).GetAwaiter().GetResult(),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)))
            .ToArray();
        while (!workers.All(w => w.IsCompleted))
        {
            PoolStats snapshot = pool.Stats;
            Assert.InRange(snapshot.Total + snapshot.Opening, 0, snapshot.Max);
            await Task.Delay(10);
        }

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        PoolStats stats = pool.Stats;
        Assert.Equal(0, doubleLends);
        Assert.True(served > 1_000, $"only {served} rents served ({timedOut} timed out, {canceled} canceled)");
        Assert.Equal((0, 0, 0), (stats.Leased, stats.Pending, stats.Opening));
        Assert.Equal(stats.Total, stats.Idle + stats.Leased);
        Assert.Equal(stats.Created - stats.Closed, stats.Total);
        Assert.Equal(database.OpenNow, stats.Total);
        Assert.All(database.Opened, c => Assert.InRange(c.CloseCount, 0, 1));
        Assert.Equal(served, stats.Rents);
    }
}
