using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class LifecycleTests
{
    [Fact]
    public async Task WarmUpAsync_OpensConnectionsUpToMin()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.Min = 3; o.Max = 4; });

        await pool.WarmUpAsync();
        await pool.WarmUpAsync();

        Assert.Equal(3, database.OpenCount);
        Assert.Equal((3, 3, 0), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased));
    }

    [Fact]
    public async Task WarmUpAsync_WhenAnOpenFails_ThrowsAndKeepsTheOthers()
    {
        var database = new FakeDatabase { FailWith = new InvalidOperationException("no route to database") };
        await using var pool = new AsyncFakePool(database, o => { o.Min = 2; o.MaxRetryAttempts = 0; });

        var error = await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.WarmUpAsync());
        Assert.IsType<InvalidOperationException>(error.InnerException);

        // One attempt per missing connection, not a retry loop while the database is down.
        Assert.Equal((0, 0, 2L), (pool.Stats.Total, pool.Stats.Opening, pool.Stats.CreateFailures));
    }

    [Fact]
    public void Clear_ClosesIdleNowAndLeasedWhenReturned()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database, o => o.Max = 3);
        FakePool.Lease busy = pool.Rent();
        FakePool.Lease idle = pool.Rent();
        FakeConnection busyConnection = busy.Connection;
        FakeConnection idleConnection = idle.Connection;
        idle.Dispose();

        pool.Clear();

        Assert.Equal(1, idleConnection.CloseCount);
        Assert.Equal(0, busyConnection.CloseCount);
        Assert.Equal((1, 1), (pool.Stats.Total, pool.Stats.Leased));
        busy.Dispose();
        Assert.Equal(1, busyConnection.CloseCount);
        Assert.Equal(0, pool.Stats.Total);

        using FakePool.Lease fresh = pool.Rent();
        Assert.NotSame(busyConnection, fresh.Connection);
        Assert.NotSame(idleConnection, fresh.Connection);
    }

    [Fact]
    public async Task Resize_WhenMaxGrows_ServesWaitersAtOnce()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => o.Max = 1);
        await using AsyncFakePool.Lease held = await pool.RentAsync();
        ValueTask<AsyncFakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(30));
        await Eventually.True(() => pool.Stats.Pending == 1);

        pool.Resize(0, 2);

        await using AsyncFakePool.Lease served = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotSame(held.Connection, served.Connection);
        Assert.Equal((2, 2, 0), (pool.Stats.Max, pool.Stats.Total, pool.Stats.Pending));
    }

    [Fact]
    public void Resize_WhenMaxGrowsBeyondTheStartingSize_UsesTheNewRoom()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        pool.Resize(0, 5);

        var leases = Enumerable.Range(0, 5).Select(_ => pool.Rent(TimeSpan.Zero)).ToList();

        Assert.Equal(5, leases.Select(l => l.Connection.Id).Distinct().Count());
        leases.ForEach(l => l.Dispose());
        Assert.Equal(5, pool.Stats.Idle);
    }

    [Fact]
    public void Resize_WhenMaxShrinks_ClosesIdleExcessNowAndLeasedExcessOnReturn()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 3);
        var leases = Enumerable.Range(0, 3).Select(_ => pool.Rent()).ToList();
        leases[0].Dispose();

        pool.Resize(0, 1);

        Assert.Equal((2, 0), (pool.Stats.Total, pool.Stats.Idle));
        leases[1].Dispose();
        Assert.Equal(1, pool.Stats.Total);
        leases[2].Dispose();
        Assert.Equal((1, 1, 1), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Max));
    }

    [Fact]
    public void Resize_WithMinAboveMax_ThrowsNamingThePoolAndTheNumbers()
    {
        using var pool = new FakePool(new FakeDatabase());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Resize(5, 2));

        Assert.StartsWith("Min of 'FakePool' is 5, but Max is 2", error.Message);
        Assert.Equal("min", error.ParamName);
    }

    [Fact]
    public void FirstUse_WithInvalidOptions_ThrowsNamingThePoolAndTheSetting()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.AcquireTimeoutMs = -1);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Rent());

        Assert.Contains("Pool 'FakePool' cannot be used", error.Message);
        Assert.Contains("AcquireTimeoutMs of 'FakePool' is -1 ms", error.Message);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.Throws<InvalidOperationException>(() => pool.TryRent(out _));
        Assert.Equal(0, pool.Stats.Total);
    }

    [Fact]
    public void Dispose_ThenRent_ThrowsObjectDisposedNamingThePool()
    {
        var pool = new FakePool(new FakeDatabase());
        pool.Rent().Dispose();
        pool.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        Assert.Contains("Pool 'FakePool' has been disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => pool.TryRent(out _));
        Assert.Equal(0, pool.Stats.Total);
    }

    [Fact]
    public void Dispose_BeforeFirstUse_StillRefusesRents()
    {
        var database = new FakeDatabase();
        var pool = new FakePool(database);
        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        Assert.Equal(0, database.OpenCount);
    }

    [Fact]
    public async Task Dispose_WithWaitersPending_ReleasesThemWithObjectDisposed()
    {
        var pool = new AsyncFakePool(new FakeDatabase(), o => o.Max = 1);
        AsyncFakePool.Lease held = await pool.RentAsync();
        ValueTask<AsyncFakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(30));
        Task<int> syncWaiting = Task.Run(() => pool.Rent(TimeSpan.FromSeconds(30)).Connection.Id);
        await Eventually.True(() => pool.Stats.Pending == 2);

        pool.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiting).WaitAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => syncWaiting).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, pool.Stats.Pending);
        await held.DisposeAsync();
    }

    [Fact]
    public void Dispose_WithLeasesOut_ClosesThemWhenReturned()
    {
        var database = new FakeDatabase();
        var pool = new FakePool(database);
        FakePool.Lease held = pool.Rent();
        FakeConnection connection = held.Connection;

        pool.Dispose();
        Assert.Equal(0, connection.CloseCount);
        Assert.Equal("FakePool", pool.Stats.Name);
        held.Dispose();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal(0, database.OpenNow);
    }

    [Fact]
    public async Task DisposeAsync_WaitsForLeasesToDrainThenCloses()
    {
        var database = new FakeDatabase();
        var pool = new AsyncFakePool(database, o => o.ShutdownTimeoutMs = 10_000);
        AsyncFakePool.Lease held = await pool.RentAsync();
        await (await pool.RentAsync()).DisposeAsync();

        Task disposing = pool.DisposeAsync().AsTask();
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted, "DisposeAsync returned while a lease was still out.");
        Assert.Equal(1, database.OpenNow);

        await held.DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, database.OpenNow);
    }

    [Fact]
    public async Task DisposeAsync_WhenLeasesStayOut_GivesUpAfterTheShutdownTimeout()
    {
        var pool = new AsyncFakePool(new FakeDatabase(), o => o.ShutdownTimeoutMs = 50);
        AsyncFakePool.Lease held = await pool.RentAsync();

        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(held.IsActive);
        await held.DisposeAsync();
        Assert.Equal(0, pool.Stats.Total);
    }

    [Fact]
    public async Task Maintenance_PrunesIdleConnectionsPastTheIdleTimeoutGraduallyDownToMin()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o =>
        {
            o.TimeProvider = time;
            o.Min = 1;
            o.Max = 9;
            o.IdleTimeoutMs = 10_000;
            o.HealthCheckIntervalMs = 5_000;
        });
        var leases = new List<AsyncFakePool.Lease>();
        for (int i = 0; i < 9; i++)
        {
            leases.Add(await pool.RentAsync());
        }

        foreach (AsyncFakePool.Lease lease in leases)
        {
            await lease.DisposeAsync();
        }

        // A pass every 5 s, half the idle timeout: the first finds nothing old enough.
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.Equal(9, pool.Stats.Total);

        // 8 above Min: each pass closes at most half of them, rounded up.
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.Equal(5, pool.Stats.Total);
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.Equal(3, pool.Stats.Total);
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.Equal(2, pool.Stats.Total);
        time.Advance(TimeSpan.FromMilliseconds(5_000));
        Assert.Equal(1, pool.Stats.Total);
        time.Advance(TimeSpan.FromMilliseconds(50_000));
        Assert.Equal(1, pool.Stats.Total);
        Assert.Equal(8, database.Opened.Count(c => c.IsDisposed));
    }

    [Fact]
    public async Task Maintenance_RefillsToMinAfterClear()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.Min = 2; o.HealthCheckIntervalMs = 500; });
        await pool.WarmUpAsync();

        pool.Clear();
        Assert.Equal(0, pool.Stats.Total);
        time.Advance(TimeSpan.FromMilliseconds(500));

        await Eventually.True(() => pool.Stats.Idle == 2, "refilled to Min");
        Assert.Equal(4, database.OpenCount);
    }

    [Fact]
    public void MaxLifetime_WithJitter_ExpiresConnectionsOpenedTogetherAtDifferentTimes()
    {
        var time = new FakeTimeProvider();
        using var pool = new FakePool(new FakeDatabase(), o =>
        {
            o.TimeProvider = time;
            o.Max = 20;
            o.MaxLifetimeMs = 100_000;
            o.LifetimeJitterPercent = 10;
            o.IdleTimeoutMs = 0;
        });
        var leases = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();

        // Each expiry lies in [90 s, 100 s]; halfway through, some have passed it and some have not.
        time.Advance(TimeSpan.FromMilliseconds(95_000));
        leases.ForEach(lease => lease.Dispose());

        PoolStats stats = pool.Stats;
        Assert.InRange(stats.Closed, 1, 19);
        Assert.Equal(20 - stats.Closed, stats.Idle);
    }

    [Fact]
    public void MaxLifetime_WithoutJitter_KeepsEveryConnectionUntilItsLifetime()
    {
        var time = new FakeTimeProvider();
        using var pool = new FakePool(new FakeDatabase(), o =>
        {
            o.TimeProvider = time;
            o.Max = 20;
            o.MaxLifetimeMs = 100_000;
            o.LifetimeJitterPercent = 0;
            o.IdleTimeoutMs = 0;
        });
        var leases = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();

        time.Advance(TimeSpan.FromMilliseconds(99_999));
        leases.ForEach(lease => lease.Dispose());

        Assert.Equal((0L, 20), (pool.Stats.Closed, pool.Stats.Idle));
    }

    [Fact]
    public void FirstUse_WithJitterAboveFiftyPercent_IsRejectedNamingTheSetting()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.LifetimeJitterPercent = 75);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Rent());
        Assert.Contains("LifetimeJitterPercent of 'FakePool' is 75 %", error.Message);
    }
}
