using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class MaxConcurrentOpensTests
{
    [Fact]
    public async Task RentAsync_WithMaxConcurrentOpens_NeverOpensMoreAtOnceAndServesEveryRent()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        await using var pool = new AsyncFakePool(database, o => { o.Max = 8; o.MaxConcurrentOpens = 2; });

        Task<AsyncFakePool.Lease>[] rents = Enumerable.Range(0, 6).Select(_ => pool.RentAsync().AsTask()).ToArray();
        await Eventually.True(() => pool.Stats.Opening == 2 && pool.Stats.Pending == 4, "two opens under way, four rents waiting");
        Assert.Equal(2, database.MaxInFlight);

        database.Gate.SetResult();
        AsyncFakePool.Lease[] leases = await Task.WhenAll(rents).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(6, leases.Select(l => l.Connection).Distinct().Count());
        Assert.Equal(2, database.MaxInFlight);
        Assert.Equal((6, 0, 0), (pool.Stats.Total, pool.Stats.Opening, pool.Stats.Pending));
        foreach (AsyncFakePool.Lease lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task RentAsync_WithoutALimit_OpensForEveryRentAtOnce()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        await using var pool = new AsyncFakePool(database, o => o.Max = 8);

        Task<AsyncFakePool.Lease>[] rents = Enumerable.Range(0, 6).Select(_ => pool.RentAsync().AsTask()).ToArray();
        await Eventually.True(() => pool.Stats.Opening == 6, "six opens under way");
        database.Gate.SetResult();

        foreach (AsyncFakePool.Lease lease in await Task.WhenAll(rents))
        {
            await lease.DisposeAsync();
        }

        Assert.Equal(6, database.MaxInFlight);
    }

    [Fact]
    public async Task WarmUpAsync_WithMaxConcurrentOpens_OpensMinInBatches()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        await using var pool = new AsyncFakePool(database, o => { o.Min = 6; o.Max = 8; o.MaxConcurrentOpens = 3; });

        Task warming = pool.WarmUpAsync().AsTask();
        await Eventually.True(() => pool.Stats.Opening == 3, "three opens under way");
        database.Gate.SetResult();
        await warming.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((6, 6), (pool.Stats.Total, pool.Stats.Idle));
        Assert.Equal(3, database.MaxInFlight);
    }
}
