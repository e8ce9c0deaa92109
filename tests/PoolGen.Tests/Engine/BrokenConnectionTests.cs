using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class BrokenConnectionTests
{
    [Fact]
    public async Task Dispose_WhenIsBrokenSaysSo_ClosesTheConnectionInsteadOfKeepingIt()
    {
        await using var pool = new CheckedFakePool(new FakeDatabase());
        CheckedFakePool.Lease lease = await pool.RentAsync();
        FakeConnection connection = lease.Connection;
        connection.Broken = true;

        lease.Dispose();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L, 1L), (pool.Stats.Total, pool.Stats.Broken, pool.Stats.Closed));
    }

    [Fact]
    public async Task DisposeAsync_WhenTheConnectionIsFine_KeepsItAndCountsNothing()
    {
        await using var pool = new CheckedFakePool(new FakeDatabase());
        CheckedFakePool.Lease lease = await pool.RentAsync();
        FakeConnection connection = lease.Connection;

        await lease.DisposeAsync();

        Assert.Equal(0, connection.CloseCount);
        Assert.Equal((1, 1, 0L), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Broken));
    }

    [Fact]
    public async Task Dispose_WhenIsBrokenThrows_TreatsTheConnectionAsBroken()
    {
        await using var pool = new CheckedFakePool(new FakeDatabase());
        CheckedFakePool.Lease lease = await pool.RentAsync();
        FakeConnection connection = lease.Connection;
        pool.IsBrokenFailure = new InvalidOperationException("the driver is in a bad state");

        await lease.DisposeAsync();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal(1L, pool.Stats.Broken);
    }

    [Fact]
    public async Task Dispose_OfAStaleCopy_DoesNotAskIsBrokenAboutSomeoneElsesConnection()
    {
        await using var pool = new CheckedFakePool(new FakeDatabase(), o => o.Max = 1);
        CheckedFakePool.Lease first = await pool.RentAsync();
        CheckedFakePool.Lease copy = first;
        first.Dispose();
        CheckedFakePool.Lease second = await pool.RentAsync();
        second.Connection.Broken = true;

        copy.Dispose();

        Assert.True(second.IsActive);
        Assert.Equal((0L, 1L), (pool.Stats.Broken, pool.Stats.StaleDisposals));
        second.Connection.Broken = false;
        second.Dispose();
    }

    [Fact]
    public void Invalidate_IsCountedAsBroken()
    {
        using var pool = new FakePool(new FakeDatabase());
        FakePool.Lease lease = pool.Rent();
        lease.Invalidate();

        lease.Dispose();

        Assert.Equal((0, 1L), (pool.Stats.Total, pool.Stats.Broken));
    }
}
