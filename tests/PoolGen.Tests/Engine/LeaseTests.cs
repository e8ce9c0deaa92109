using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class LeaseTests
{
    [Fact]
    public void Dispose_OfAStaleCopy_DoesNothingAndIsCounted()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        FakePool.Lease lease = pool.Rent();
        FakePool.Lease copy = lease;
        lease.Dispose();

        // The connection now belongs to another lease; the stale copy must not return it a second time.
        using FakePool.Lease next = pool.Rent();
        copy.Dispose();
        lease.Dispose();

        Assert.True(next.IsActive);
        Assert.Equal((1, 0, 2L), (pool.Stats.Leased, pool.Stats.Idle, pool.Stats.StaleDisposals));
    }

    [Fact]
    public void Connection_AfterDispose_ThrowsNamingThePool()
    {
        using var pool = new FakePool(new FakeDatabase());
        FakePool.Lease lease = pool.Rent();
        lease.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => lease.Connection);
        Assert.Contains("'FakePool'", error.Message);
        Assert.False(lease.IsActive);
    }

    [Fact]
    public void Connection_OfDefaultLease_ThrowsAndDisposeIsHarmless()
    {
        FakePool.Lease empty = default;

        Assert.Throws<ObjectDisposedException>(() => empty.Connection);
        empty.Dispose();
        empty.Invalidate();
        Assert.False(empty.IsActive);
    }

    [Fact]
    public void Invalidate_ThenDispose_ClosesTheConnectionInsteadOfReturningIt()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database);
        FakeConnection connection;
        using (FakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
            lease.Invalidate();

            // Still this lease's until it is disposed.
            Assert.True(lease.IsActive);
            Assert.Equal(0, connection.CloseCount);
        }

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal(0, connection.Resets);
        Assert.Equal((0, 0, 1L, 0L), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Closed, pool.Stats.StaleDisposals));
        using FakePool.Lease next = pool.Rent();
        Assert.NotSame(connection, next.Connection);
    }

    [Fact]
    public void Invalidate_OfAStaleCopy_LeavesTheNextLeaseAlone()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        FakePool.Lease first = pool.Rent();
        FakePool.Lease copy = first;
        first.Dispose();
        FakePool.Lease second = pool.Rent();
        FakeConnection connection = second.Connection;

        copy.Invalidate();
        second.Dispose();

        Assert.Equal(0, connection.CloseCount);
        Assert.Equal(1, pool.Stats.Idle);
    }

    [Fact]
    public void Dispose_CallsResetBeforeTheConnectionIsReused()
    {
        using var pool = new FakePool(new FakeDatabase());
        FakeConnection connection;
        using (FakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
            Assert.Equal(0, connection.Resets);
        }

        Assert.Equal(1, connection.Resets);
    }

    [Fact]
    public async Task DisposeAsync_CallsResetAndReturns()
    {
        await using var pool = new FakePool(new FakeDatabase());
        FakeConnection connection;
        await using (FakePool.Lease lease = await pool.RentAsync())
        {
            connection = lease.Connection;
        }

        Assert.Equal(1, connection.Resets);
        Assert.Equal(1, pool.Stats.Idle);
    }

    [Fact]
    public void Dispose_WhenResetThrows_ClosesTheConnectionQuietly()
    {
        using var pool = new FakePool(new FakeDatabase()) { ResetFailure = new InvalidOperationException("reset failed") };
        FakePool.Lease lease = pool.Rent();
        FakeConnection connection = lease.Connection;

        lease.Dispose();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L), (pool.Stats.Total, pool.Stats.ResetFailures));
    }
}
