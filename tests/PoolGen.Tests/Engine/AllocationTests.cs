using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>The hot path's promise, checked by counting bytes rather than by timing.</summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
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
        const int WaitsWanted = 100_000;
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.Max = 2; o.AcquireTimeoutMs = 30_000; });

        // Warm-up: workers, waiters and the pooled async builders all reach their steady state.
        await RunContended(pool, Workers, 20_000);

        long waitsBefore = pool.Stats.Waits;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        int cycles = await RunContended(pool, Workers, WaitsWanted);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        long waits = pool.Stats.Waits - waitsBefore;

        Assert.True(waits >= WaitsWanted, $"only {waits} of {cycles} rents waited");

        // The workers themselves (a Task and a state machine each, the gate) are allocated once per run, whatever its
        // length; a per-wait allocation would show as at least one object per wait.
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated over {waits} waits");
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

    /// <summary>Runs workers that rent and return until <paramref name="waits"/> rents have had to wait.</summary>
    private static async Task<int> RunContended(AsyncFakePool pool, int workers, int waits)
    {
        long target = pool.Stats.Waits + waits;
        int cycles = 0;
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = Task.Run(async () =>
            {
                int mine = 0;
                while (pool.Stats.Waits < target)
                {
                    await using (AsyncFakePool.Lease lease = await pool.RentAsync())
                    {
                        _ = lease.Connection;
                        await Task.Yield();
                    }

                    mine++;
                    Interlocked.Increment(ref cycles);
                }

                return mine;
            });
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        return cycles;
    }
}
