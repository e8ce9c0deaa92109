using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>
/// The IsBroken check runs before every lend, even of a connection used so recently that it is not validated: a
/// connection the pool knows to be closed is never lent.
/// </summary>
public sealed class BrokenBeforeLendingTests
{
    [Fact]
    public void Rent_WhenARecentlyUsedIdleConnectionIsBroken_ClosesItAndLendsAnother()
    {
        var database = new FakeDatabase();
        using var pool = new CheckedFakePool(database, o => o.ValidateAfterIdleMs = 60_000);
        FakeConnection broken;
        using (CheckedFakePool.Lease lease = pool.Rent())
        {
            broken = lease.Connection;
        }

        broken.Broken = true;
        using CheckedFakePool.Lease next = pool.Rent();

        Assert.NotSame(broken, next.Connection);
        Assert.Equal(1, broken.CloseCount);
        Assert.Equal((1L, 0, 1, 2), (pool.Stats.Broken, pool.ValidationsStarted, pool.Stats.Total, database.OpenCount));
    }

    [Fact]
    public async Task RentAsync_WhenARecentlyUsedIdleConnectionIsBroken_ClosesItAndLendsAnother()
    {
        var database = new FakeDatabase();
        await using var pool = new CheckedFakePool(database, o => o.ValidateAfterIdleMs = 60_000);
        FakeConnection broken;
        await using (CheckedFakePool.Lease lease = await pool.RentAsync())
        {
            broken = lease.Connection;
        }

        broken.Broken = true;
        await using CheckedFakePool.Lease next = await pool.RentAsync();

        Assert.NotSame(broken, next.Connection);
        Assert.Equal(1, broken.CloseCount);
        Assert.Equal((1L, 0, 1, 2), (pool.Stats.Broken, pool.ValidationsStarted, pool.Stats.Total, database.OpenCount));
    }

    [Fact]
    public void TryRent_WhenARecentlyUsedIdleConnectionIsBroken_ClosesItAndTakesNothing()
    {
        using var pool = new CheckedFakePool(new FakeDatabase(), o => o.ValidateAfterIdleMs = 60_000);
        FakeConnection broken;
        using (CheckedFakePool.Lease lease = pool.Rent())
        {
            broken = lease.Connection;
        }

        broken.Broken = true;

        Assert.False(pool.TryRent(out _));
        Assert.Equal(1, broken.CloseCount);
        Assert.Equal((1L, 0), (pool.Stats.Broken, pool.Stats.Total));
    }
}
