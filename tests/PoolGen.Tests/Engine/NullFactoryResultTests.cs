using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class NullFactoryResultTests
{
    [Fact]
    public void Rent_WhenTheSynchronousFactoryReturnsNull_FailsOnceNamingThePoolAndTheFactoryAndCountsNothingAsOpen()
    {
        var database = new FakeDatabase { ReturnsNull = true };
        using var pool = new FakePool(database, o => { o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        var error = Assert.Throws<PoolConnectionException>(() => pool.Rent());

        Assert.Equal(1, error.Attempts);
        Assert.Contains("Pool 'FakePool'", error.Message);
        Assert.Contains("FakePool.Create", error.Message);
        Assert.Contains("returned null", error.Message);
        PoolStats stats = pool.Stats;
        Assert.Equal((0, 0L, 0, 0), (stats.Total, stats.Created, stats.Opening, stats.Leased));

        database.ReturnsNull = false;
        using FakePool.Lease lease = pool.Rent();
        Assert.NotNull(lease.Connection);
        Assert.Equal((1, 1L, 0), (pool.Stats.Total, pool.Stats.Created, pool.Stats.Opening));
    }

    [Fact]
    public async Task RentAsync_WhenTheAsynchronousFactoryReturnsNull_FailsOnceNamingThePoolAndTheFactoryAndCountsNothingAsOpen()
    {
        var database = new FakeDatabase { ReturnsNull = true };
        await using var pool = new AsyncFakePool(database, o => { o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        var error = await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());

        Assert.Equal(1, error.Attempts);
        Assert.Contains("Pool 'AsyncFakePool'", error.Message);
        Assert.Contains("AsyncFakePool.CreateAsync", error.Message);
        Assert.Contains("returned null", error.Message);
        PoolStats stats = pool.Stats;
        Assert.Equal((0, 0L, 0, 0), (stats.Total, stats.Created, stats.Opening, stats.Leased));

        database.ReturnsNull = false;
        await using AsyncFakePool.Lease lease = await pool.RentAsync();
        Assert.NotNull(lease.Connection);
        Assert.Equal((1, 1L, 0), (pool.Stats.Total, pool.Stats.Created, pool.Stats.Opening));
    }
}
