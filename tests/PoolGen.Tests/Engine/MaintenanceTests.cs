using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class MaintenanceTests
{
    [Fact]
    public async Task Maintenance_ValidatesIdleConnectionsAndReplacesDeadOnes()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => { o.TimeProvider = time; o.Min = 2; o.HealthCheckIntervalMs = 1_000; });
        await pool.WarmUpAsync();
        FakeConnection dead = database.Opened.First();
        dead.Broken = true;

        time.Advance(TimeSpan.FromMilliseconds(1_000));

        await Eventually.True(() => dead.CloseCount == 1 && pool.Stats.Idle == 2, "the dead connection replaced");
        Assert.Equal((1L, 3), (pool.Stats.ValidationFailures, database.OpenCount));
        PoolHealth health = pool.GetHealth();
        Assert.Equal(time.GetUtcNow(), health.LastCheck);
        Assert.True(health.IsHealthy, health.ToString());
    }

    [Fact]
    public async Task Maintenance_WithValidateOnIdleOff_LeavesIdleConnectionsAlone()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o =>
        {
            o.TimeProvider = time;
            o.Min = 2;
            o.HealthCheckIntervalMs = 1_000;
            o.ValidateOnIdle = false;
        });
        await pool.WarmUpAsync();
        FakeConnection dead = database.Opened.First();
        dead.Broken = true;

        time.Advance(TimeSpan.FromMilliseconds(3_000));

        Assert.Equal(0, dead.CloseCount);
        Assert.Equal(0L, pool.Stats.ValidationFailures);
        Assert.NotNull(pool.GetHealth().LastCheck);
    }

    [Fact]
    public async Task Maintenance_DoesNotValidateAConnectionUsedWithinValidateAfterIdle()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o =>
        {
            o.TimeProvider = time;
            o.HealthCheckIntervalMs = 1_000;
            o.ValidateAfterIdleMs = 5_000;
        });
        FakeConnection connection;
        using (FakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
        }

        connection.Broken = true;
        time.Advance(TimeSpan.FromMilliseconds(1_000));
        Assert.Equal(0, connection.CloseCount);

        time.Advance(TimeSpan.FromMilliseconds(4_000));
        await Eventually.True(() => connection.CloseCount == 1, "validated once it had been idle for ValidateAfterIdleMs");
    }

    [Fact]
    public async Task Maintenance_WithHealthCheckIntervalZero_RunsNoPass()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.HealthCheckIntervalMs = 0; o.IdleTimeoutMs = 1; });
        await (await pool.RentAsync()).DisposeAsync();

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(1, pool.Stats.Idle);
        Assert.Null(pool.GetHealth().LastCheck);
    }

    [Fact]
    public async Task MaxLifetime_RetiresExpiredIdleConnectionsAcrossTheJitterWindow_NotInOnePass()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o =>
        {
            o.TimeProvider = time;
            o.Min = 20;
            o.Max = 20;
            o.MaxLifetimeMs = 100_000;
            o.LifetimeJitterPercent = 20;
            o.IdleTimeoutMs = 0;
        });
        await pool.WarmUpAsync();

        // Expiries fall between 80 s and 100 s; passes run every 30 s, but retirement ticks every second (1/20 of the window).
        time.Advance(TimeSpan.FromSeconds(79));
        Assert.Equal(0L, pool.Stats.Closed);
        var closedPerSecond = new List<long>();
        for (int second = 80; second <= 100; second++)
        {
            long before = pool.Stats.Closed;
            time.Advance(TimeSpan.FromSeconds(1));
            closedPerSecond.Add(pool.Stats.Closed - before);
            Assert.Equal(20, pool.Stats.Total);
        }

        Assert.Equal(20L, closedPerSecond.Sum());
        Assert.True(closedPerSecond.Count(n => n > 0) >= 5, "retirements spread over the window: " + string.Join(",", closedPerSecond));
        Assert.True(closedPerSecond.Max() <= 10, "no batch of half the pool: " + string.Join(",", closedPerSecond));
    }
}
