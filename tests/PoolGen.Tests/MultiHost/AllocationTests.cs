using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>A routed rent keeps the hot path's promise: with an idle connection, nothing is allocated.</summary>
[Collection(nameof(PoolGen.Tests.Engine.AllocationTests))]
public sealed class MultiHostAllocationTests
{
    private const int Cycles = 200_000;

    private readonly FakeHost _primary = new("primary", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("standby", 5002, EndpointRole.Standby);

    [Theory]
    [InlineData(Workload.ReadWrite, false)]
    [InlineData(Workload.ReadOnly, false)]
    [InlineData(Workload.ReadOnly, true)] // least-connections: leases in flight are counted
    [InlineData(Workload.Analytics, true)] // with a quota: a semaphore permit per rent
    public async Task RentAndDispose_Routed_AllocateNothing(Workload workload, bool counting)
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o =>
        {
            o.QuotaPercent[Workload.Analytics] = 50;
            if (counting)
            {
                o.Balancer = new LeastConnectionsBalancer();
            }
        });
        await pool.WarmUpAsync();

        Assert.Equal(0, Allocated(() => RunSync(pool, workload, 1_000), () => RunSync(pool, workload, Cycles)));
    }

    [Theory]
    [InlineData(Workload.ReadWrite)]
    [InlineData(Workload.ReadOnly)]
    public async Task RentAsyncAndDisposeAsync_Routed_AllocateNothing(Workload workload)
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();
        await RunAsync(pool, workload, 1_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask cycles = RunAsync(pool, workload, Cycles);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(cycles.IsCompletedSuccessfully, "with an idle connection every routed rent completes synchronously");
        await cycles;
        Assert.Equal(0, allocated);
    }

    private static long Allocated(Action warm, Action run)
    {
        warm();
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void RunSync(MultiHostPool<FakeConnection, FakeEndpointPool.Lease> pool, Workload workload, int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            using var lease = pool.Rent(workload);
            _ = lease.Connection;
        }
    }

    private static async ValueTask RunAsync(MultiHostPool<FakeConnection, FakeEndpointPool.Lease> pool, Workload workload, int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            await using var lease = await pool.RentAsync(workload);
            _ = lease.Connection;
        }
    }
}
