using System.Collections.Concurrent;
using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>Waiting rents on a pool of one connection: strict serialization, and hand-offs that never run the waiter inline.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HandOffTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-handoff-{Guid.NewGuid():N}";

    public HandOffTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task RentAsync_10000ConcurrentRentsWithMax1_AreServedOneAtATimeAndAllComplete()
    {
        const int Rents = 10_000;
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new SingleConnectionPool(_cluster.ConnectionStringFor(_app));
        await using var watch = StatsWatch.Start(() => pool.Stats, max: 1);

        int holders = 0, mostHolders = 0, completed = 0;
        var pids = new ConcurrentDictionary<int, int>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopwatch = Stopwatch.StartNew();
        Task[] renters = Enumerable.Range(0, Rents).Select(i => Task.Run(async () =>
        {
            await start.Task;
            await using SingleConnectionPool.Lease lease = await pool.RentAsync(limit.Token);
            int now = Interlocked.Increment(ref holders);
            InterlockedMax(ref mostHolders, now);

            // Every rent gives up its thread while it holds the connection, so the holds would overlap if anything let
            // two renters in at once; every tenth makes a round trip on it (all of them would take ~8 s here).
            if (i % 10 == 0)
            {
                int pid = await PostgresProbe.BackendPidAsync(lease.Connection, limit.Token);
                pids.AddOrUpdate(pid, 1, (_, n) => n + 1);
            }
            else
            {
                await Task.Yield();
            }
            Interlocked.Decrement(ref holders);
            Interlocked.Increment(ref completed);
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(renters).WaitAsync(limit.Token);
        stopwatch.Stop();
        IReadOnlyList<string> violations = await watch.StopAsync();

        PoolStats stats = pool.Stats;
        _output.WriteLine($"{Rents} rents in {stopwatch.ElapsedMilliseconds} ms; {watch.Samples} stats samples; {stats}");
        Assert.Empty(violations);
        Assert.Equal(1, mostHolders);
        Assert.Equal(1, watch.MostLeased);
        Assert.Equal(Rents, completed);
        Assert.Equal(Rents, stats.Rents);
        Assert.Equal(Rents / 10, pids.Single().Value); // one connection served everybody
        Assert.Equal((1L, 0L, 0L, 0L), (stats.Created, stats.Closed, stats.Timeouts, stats.Cancellations));
        Assert.Equal((1, 1, 0, 0), (stats.Total, stats.Idle, stats.Leased, stats.Pending));
        Assert.True(stats.Waits >= Rents / 2, $"most of {Rents} rents started together on one connection must have waited: {stats}");
        Assert.Equal([pids.Single().Key], await _cluster.BackendPidsAsync(_app));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_WithAWaiterPending_ReturnsBeforeTheWaitersContinuationRunsAndOnAnotherThread(bool disposeAsync)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new SingleConnectionPool(_cluster.ConnectionStringFor(_app));
        SingleConnectionPool.Lease held = await pool.RentAsync(limit.Token);

        using var returned = new ManualResetEventSlim(false);
        int continuationThread = 0;
        bool continuationSawReturn = false;

        // No synchronization context in here (Task.Run), and ConfigureAwait(false): the continuation runs wherever the
        // pool completes the wait.
        Task waiter = Task.Run(async () =>
        {
            SingleConnectionPool.Lease lease = await pool.RentAsync(limit.Token).ConfigureAwait(false);
            continuationThread = Environment.CurrentManagedThreadId;

            // Had the pool run this continuation inline, inside the returner's Dispose, the returner would still be
            // blocked in Dispose here and never set the event: this wait would time out.
            continuationSawReturn = returned.Wait(TimeSpan.FromSeconds(10));
            await lease.DisposeAsync();
        });
        Assert.Equal(1, (await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Pending == 1)).Pending);

        // A dedicated thread, not a thread-pool one, so the continuation can never be scheduled on it afterwards.
        int returnerThread = 0;
        var returner = new Thread(() =>
        {
            returnerThread = Environment.CurrentManagedThreadId;
            if (disposeAsync)
            {
                ValueTask disposing = held.DisposeAsync();
                Assert.True(disposing.IsCompletedSuccessfully, "a plain return completes synchronously");
            }
            else
            {
                held.Dispose();
            }

            returned.Set();
        });
        returner.Start();

        Assert.True(returner.Join(TimeSpan.FromSeconds(15)), "the returning thread did not come back from Dispose");
        await waiter.WaitAsync(TimeSpan.FromSeconds(15), limit.Token);

        _output.WriteLine($"returner thread {returnerThread}, continuation thread {continuationThread}; {pool.Stats}");
        Assert.True(continuationSawReturn, "the waiter's continuation ran before the returner's Dispose returned (inline hand-off)");
        Assert.NotEqual(returnerThread, continuationThread);
        Assert.Equal((1L, 2L, 1L), (pool.Stats.Created, pool.Stats.Rents, pool.Stats.Waits));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
