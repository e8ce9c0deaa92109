using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>
/// Health looks at a time window and at every sign of life: a pool that works again reads as healthy again without any
/// rent, a degraded pool still counts as healthy, and a pool that serves nothing is unhealthy.
/// </summary>
public sealed class HealthWindowTests
{
    [Fact]
    public async Task IsHealthy_WhenThePoolIsDegraded_IsTrue()
    {
        var time = new FakeTimeProvider();
        // ShutdownTimeoutMs = 0: a failed assertion must not leave disposal waiting for a lease on a clock that never moves.
        await using var pool = new FakePool(new FakeDatabase(), o => { o.Max = 1; o.TimeProvider = time; o.ShutdownTimeoutMs = 0; });
        FakePool.Lease held = pool.Rent();
        Task<FakePool.Lease> waiting = pool.RentAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.True(health.IsHealthy, health.ToString());
        held.Dispose();
        (await waiting).Dispose();
    }

    [Fact]
    public async Task GetHealth_AfterOpensWorkAgain_DropsTheFailureRateOnceTwoIntervalsPassWithoutAnyRent()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase { FailWith = new TimeoutException("the server is restarting") };
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.HealthCheckIntervalMs = 1_000; o.MaxRetryAttempts = 0; });
        for (int i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());
        }

        database.FailWith = null;
        await using (await pool.RentAsync())
        {
        }

        PoolHealth degraded = pool.GetHealth();
        Assert.Equal(PoolHealthStatus.Degraded, degraded.Status);
        Assert.StartsWith("High creation failure rate: 3 of the ", Assert.Single(degraded.Issues));
        long rents = pool.Stats.Rents;

        // Two health-check intervals, and a moment, with no failure and no rent.
        time.Advance(TimeSpan.FromMilliseconds(1_000));
        time.Advance(TimeSpan.FromMilliseconds(1_000));
        time.Advance(TimeSpan.FromMilliseconds(1));
        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
        Assert.Equal(rents, pool.Stats.Rents);
    }

    [Fact]
    public async Task CheckHealthAsync_WhenAnIdleConnectionPassesValidationAfterAnOutage_EndsTheRunOfFailures()
    {
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => o.MaxRetryAttempts = 0);
        FakePool.Lease held = pool.Rent();
        database.FailWith = new TimeoutException("the server is restarting");
        Assert.Throws<PoolConnectionException>(() => pool.Rent());
        Assert.Equal(1, pool.GetHealth().ConsecutiveFailures);
        held.Dispose();
        database.FailWith = null;

        PoolHealth health = await pool.CheckHealthAsync();

        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);

        // The check validated the idle connection; it did not need to open one.
        Assert.Equal(1, database.OpenCount);
    }

    [Fact]
    public void GetHealth_WhenEveryConnectionIsHeldPastTheLeakThresholdWhileRentsTimeOut_IsUnhealthy()
    {
        var time = new FakeTimeProvider();
        using var pool = new FakePool(new FakeDatabase(), o => { o.Max = 1; o.TimeProvider = time; o.LeakThresholdMs = 1_000; });
        FakePool.Lease leaked = pool.Rent();
        time.Advance(TimeSpan.FromMilliseconds(1_500));
        Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.Zero));

        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.False(health.IsHealthy);
        Assert.Contains(
            health.Issues,
            issue => issue.StartsWith("Every connection (1 of Max 1) is held longer than LeakThresholdMs (1,000 ms) while rents time out", StringComparison.Ordinal));
        leaked.Dispose();
    }
}
