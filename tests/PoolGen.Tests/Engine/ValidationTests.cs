using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class ValidationTests
{
    [Fact]
    public void Rent_WhenIdleConnectionFailsValidation_ClosesItAndOpensAnother()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database, o => o.ValidateAfterIdleMs = 0);
        FakeConnection broken;
        using (FakePool.Lease lease = pool.Rent())
        {
            broken = lease.Connection;
        }

        broken.Broken = true;
        using FakePool.Lease next = pool.Rent();

        Assert.NotSame(broken, next.Connection);
        Assert.Equal(1, broken.CloseCount);
        Assert.Equal((1, 1L, 2), (pool.Stats.Total, pool.Stats.ValidationFailures, database.OpenCount));
    }

    [Fact]
    public void Rent_WithinValidateAfterIdle_SkipsValidation()
    {
        var time = new FakeTimeProvider();
        using var pool = new FakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.ValidateAfterIdleMs = 500; });
        FakeConnection connection;
        using (FakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
        }

        connection.Broken = true;
        time.Advance(TimeSpan.FromMilliseconds(100));
        using (FakePool.Lease recent = pool.Rent())
        {
            // Used 100 ms ago: not validated, so the broken flag goes unnoticed (the price of skipping a round trip).
            Assert.Same(connection, recent.Connection);
        }

        time.Advance(TimeSpan.FromMilliseconds(600));
        using FakePool.Lease later = pool.Rent();
        Assert.NotSame(connection, later.Connection);
        Assert.Equal(1, pool.Stats.ValidationFailures);
    }

    [Fact]
    public void Dispose_OfAStaleCopy_DoesNotMakeAnIdleConnectionLookRecentlyUsed()
    {
        // A pool without a reset, so that a return takes the fast path.
        var time = new FakeTimeProvider();
        using var pool = new CheckedFakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.ValidateAfterIdleMs = 500; });
        CheckedFakePool.Lease lease = pool.Rent();
        FakeConnection connection = lease.Connection;
        CheckedFakePool.Lease copy = lease;
        lease.Dispose();

        connection.Unresponsive = true;
        time.Advance(TimeSpan.FromMilliseconds(600));

        // The copy's return is ignored; it must not count as a use, or the next rent would skip validation.
        copy.Dispose();
        using CheckedFakePool.Lease next = pool.Rent();

        Assert.NotSame(connection, next.Connection);
        Assert.Equal((1L, 1L), (pool.Stats.ValidationFailures, pool.Stats.StaleDisposals));
    }

    [Fact]
    public async Task RentAsync_WhenValidationFails_MovesOnToAnotherConnection()
    {
        await using var pool = new FakePool(new FakeDatabase(), o => o.ValidateAfterIdleMs = 0);
        FakePool.Lease a = await pool.RentAsync();
        FakePool.Lease b = await pool.RentAsync();
        FakeConnection broken = a.Connection;
        FakeConnection good = b.Connection;
        broken.Broken = true;
        await a.DisposeAsync();
        await b.DisposeAsync();

        await using FakePool.Lease lease = await pool.RentAsync();

        Assert.Same(good, lease.Connection);
        Assert.Equal(1, broken.CloseCount);
    }

    [Fact]
    public void Rent_WhenValidateOnRentIsOff_NeverValidates()
    {
        using var pool = new FakePool(new FakeDatabase(), o => { o.ValidateOnRent = false; o.ValidateAfterIdleMs = 0; });
        FakeConnection connection;
        using (FakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
        }

        connection.Broken = true;
        using FakePool.Lease again = pool.Rent();
        Assert.Same(connection, again.Connection);
    }

    [Fact]
    public void Dispose_WithValidateOnReturn_ClosesAConnectionThatFails()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.ValidateOnReturn = true);
        FakePool.Lease lease = pool.Rent();
        FakeConnection connection = lease.Connection;
        connection.Broken = true;

        lease.Dispose();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L), (pool.Stats.Total, pool.Stats.ValidationFailures));
    }

    [Fact]
    public void Dispose_AfterMaxLifetime_ClosesInsteadOfReturning()
    {
        var time = new FakeTimeProvider();
        using var pool = new FakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.MaxLifetimeMs = 1_000; });
        FakePool.Lease young = pool.Rent();
        FakeConnection first = young.Connection;
        young.Dispose();
        Assert.Equal(0, first.CloseCount);

        FakePool.Lease old = pool.Rent();
        time.Advance(TimeSpan.FromMilliseconds(1_001));
        old.Dispose();

        Assert.Equal(1, first.CloseCount);
        Assert.Equal(0, pool.Stats.Total);
    }

    [Fact]
    public async Task RentAsync_WhenHandedAConnectionThatFailsValidation_WaiterGetsAFreshOne()
    {
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => { o.Max = 1; o.ValidateAfterIdleMs = 0; });
        FakePool.Lease held = await pool.RentAsync();
        FakeConnection broken = held.Connection;
        ValueTask<FakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(10));
        await Eventually.True(() => pool.Stats.Pending == 1);

        // With ValidateAfterIdleMs = 0 even a connection handed straight from a return is checked first.
        broken.Broken = true;
        await held.DisposeAsync();
        await using FakePool.Lease served = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotSame(broken, served.Connection);
        Assert.Equal(1, broken.CloseCount);
        Assert.Equal((1L, 2, 0), (pool.Stats.ValidationFailures, database.OpenCount, pool.Stats.Pending));
    }

    [Fact]
    public async Task Rent_WhenHandedAConnectionThatPassesValidation_WaiterGetsIt()
    {
        await using var pool = new FakePool(new FakeDatabase(), o => { o.Max = 1; o.ValidateAfterIdleMs = 0; });
        FakePool.Lease held = pool.Rent();
        FakeConnection connection = held.Connection;
        Task<int> waiting = Task.Run(() =>
        {
            using FakePool.Lease lease = pool.Rent(TimeSpan.FromSeconds(10));
            return lease.Connection.Id;
        });
        await Eventually.True(() => pool.Stats.Pending == 1);

        held.Dispose();

        Assert.Equal(connection.Id, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, pool.Stats.ValidationFailures);
    }
}
