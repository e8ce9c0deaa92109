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
    public async Task Maintenance_WithHealthCheckIntervalZero_NeverRuns()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.HealthCheckIntervalMs = 0; o.IdleTimeoutMs = 1; });
        await (await pool.RentAsync()).DisposeAsync();

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(1, pool.Stats.Idle);
        Assert.Null(pool.GetHealth().LastCheck);
    }
}
