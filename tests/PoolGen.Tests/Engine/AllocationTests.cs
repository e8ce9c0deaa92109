using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>The hot path's promise, checked by counting bytes rather than by timing.</summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    private const int Cycles = 1_000_000;

    [Fact]
    public void RentAndDispose_WithAnIdleConnection_AllocateNothing()
    {
        using var pool = new FakePool(new FakeDatabase());
        RunSyncCycles(pool, 1_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunSyncCycles(pool, Cycles);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Cycles + 1_000, pool.Stats.Rents);
    }

    [Fact]
    public async Task RentAsyncAndDisposeAsync_WithAnIdleConnection_AllocateNothing()
    {
        await using var pool = new FakePool(new FakeDatabase());
        await RunAsyncCycles(pool, 1_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask cycles = RunAsyncCycles(pool, Cycles);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(cycles.IsCompletedSuccessfully, "with an idle connection every rent completes synchronously");
        Assert.Equal(0, allocated);
        await cycles;
    }

    [Fact]
    public async Task ContendedAsyncWaits_AfterWarmUp_AllocateNothing()
    {
        const int Workers = 8;
        const int WaitsMeasured = 100_000;
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.Max = 2; o.AcquireTimeoutMs = 30_000; });
        using var stop = new CancellationTokenSource();
        Task[] workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => Contend(pool, stop.Token))).ToArray();
        try
        {
            // Warm-up: the workers' state machines, the pooled waiters and their timers all exist before measuring.
            WaitForWaits(pool, 20_000);

            // Measured while the workers run, from this thread, which only polls (synchronously: an await here would
            // allocate): it allocates nothing itself.
            long before = GC.GetTotalAllocatedBytes(precise: true);
            long waitsBefore = pool.Stats.Waits;
            WaitForWaits(pool, waitsBefore + WaitsMeasured);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            long waits = pool.Stats.Waits - waitsBefore;

            Assert.True(waits >= WaitsMeasured, $"only {waits} rents waited");

            // The process-wide count also sees the thread pool's own bookkeeping (its queues grow a segment, it adds a
            // thread): a few kilobytes a run, whatever its length. Anything the pool allocated per wait would be at
            // least one object, 24 bytes or more, for each of them.
            Assert.True(allocated < waits, $"{allocated} bytes allocated over {waits} waits");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task Contend(AsyncFakePool pool, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // No Task.Yield here: it queues to the thread pool's global queue, whose segments are allocated as it
            // cycles, and that would be counted against the pool. Waiting alone makes every worker yield.
            await using AsyncFakePool.Lease lease = await pool.RentAsync();
            _ = lease.Connection;
        }
    }

    private static void WaitForWaits(AsyncFakePool pool, long waits)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (pool.Stats.Waits < waits)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {pool.Stats.Waits} of {waits} waits within 60 s");
            Thread.Sleep(1);
        }
    }

    private static void RunSyncCycles(FakePool pool, int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            using FakePool.Lease lease = pool.Rent();
            _ = lease.Connection;
        }
    }

    private static async ValueTask RunAsyncCycles(FakePool pool, int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            await using FakePool.Lease lease = await pool.RentAsync();
            _ = lease.Connection;
        }
    }
}

/// <summary>Allocation counts are process-wide: nothing else may run while they are taken.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsRunAlone
{
}
