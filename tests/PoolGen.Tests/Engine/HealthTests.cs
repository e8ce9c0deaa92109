using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class HealthTests
{
    [Fact]
    public async Task GetHealth_OfAWorkingPool_IsHealthyWithNoIssues()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase());
        await using (await pool.RentAsync())
        {
        }

        PoolHealth health = pool.GetHealth();

        Assert.True(health.IsHealthy, health.ToString());
        Assert.Empty(health.Issues);
        Assert.Equal((0, "AsyncFakePool", 1), (health.ConsecutiveFailures, health.Name, health.Stats.Total));
        Assert.Null(health.LastFailure);
    }

    [Fact]
    public async Task GetHealth_WhenNothingCanBeOpened_IsUnhealthyAndSaysWhy()
    {
        var database = new FakeDatabase { FailWith = new TimeoutException("connection refused by the test") };
        await using var pool = new AsyncFakePool(database, o => { o.MaxRetryAttempts = 2; o.RetryDelayMs = 1; });

        await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());
        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Equal(3, health.ConsecutiveFailures);
        Assert.Equal("TimeoutException: connection refused by the test", health.LastFailure);
        Assert.NotNull(health.LastFailureAt);
        string issue = Assert.Single(health.Issues);
        Assert.Contains("No connection is open and the last 3 attempts to open a connection failed", issue);
        Assert.Contains("connection refused by the test", issue);
    }

    [Fact]
    public async Task CheckHealthAsync_AfterTheDatabaseRecovers_OpensAConnectionAndIsHealthyAgain()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase { FailWith = new TimeoutException("down") };
        await using var pool = new AsyncFakePool(database, o => { o.MaxRetryAttempts = 0; o.TimeProvider = time; });
        await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());
        Assert.Equal(PoolHealthStatus.Unhealthy, (await pool.CheckHealthAsync()).Status);

        database.FailWith = null;
        time.Advance(TimeSpan.FromSeconds(1));
        PoolHealth health = await pool.CheckHealthAsync();

        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(time.GetUtcNow(), health.LastCheck);
        Assert.Equal((1, 1), (health.Stats.Total, health.Stats.Idle));
        Assert.Equal("TimeoutException: down", health.LastFailure);
    }

    [Fact]
    public async Task CheckHealthAsync_ValidatesAnIdleConnectionAndReplacesADeadOne()
    {
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => o.Min = 1);
        await pool.WarmUpAsync();
        FakeConnection dead = database.Opened.Single();
        dead.Broken = true;

        PoolHealth health = await pool.CheckHealthAsync();

        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal(1, dead.CloseCount);
        Assert.Equal((1L, 1, 2), (health.Stats.ValidationFailures, health.Stats.Total, database.OpenCount));
    }

    [Fact]
    public async Task GetHealth_WhenEveryConnectionIsLeasedAndRentsWaitForASecond_IsDegradedAndExhausted()
    {
        var time = new FakeTimeProvider();
        await using var pool = new FakePool(new FakeDatabase(), o => { o.Max = 2; o.TimeProvider = time; o.AcquireTimeoutMs = 30_000; });
        using FakePool.Lease a = pool.Rent();
        using FakePool.Lease b = pool.Rent();
        Task<FakePool.Lease> waiting = pool.RentAsync().AsTask();

        // Saturated but only just: busy, not exhausted.
        Assert.True(pool.GetHealth().IsHealthy);
        time.Advance(TimeSpan.FromMilliseconds(1_000));
        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal("Exhausted: all 2 connections are leased and 1 rent waiting; raise Max, hold leases for less time, or look for leaks.", Assert.Single(health.Issues));
        a.Dispose();
        (await waiting).Dispose();
    }

    [Fact]
    public async Task GetHealth_WhenARentHasWaitedHalfItsTimeout_ReportsALongWait()
    {
        var time = new FakeTimeProvider();
        await using var pool = new FakePool(new FakeDatabase(), o => { o.Max = 1; o.TimeProvider = time; o.AcquireTimeoutMs = 10_000; });
        using FakePool.Lease held = pool.Rent();
        Task<FakePool.Lease> waiting = pool.RentAsync().AsTask();

        time.Advance(TimeSpan.FromSeconds(6));
        PoolHealth health = pool.GetHealth();

        Assert.Contains("Long waits: the oldest of 1 waiting rent has waited 6,000 ms (AcquireTimeoutMs is 10,000).", health.Issues);
        held.Dispose();
        (await waiting).Dispose();
    }

    [Fact]
    public async Task GetHealth_OfADisposedPool_IsUnhealthy()
    {
        var pool = new AsyncFakePool(new FakeDatabase());
        await pool.DisposeAsync();

        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Contains("It has been disposed, so it serves no rents.", health.Issues);
    }

    [Fact]
    public async Task RentAsync_TimingOutWhileOpensFail_QuotesTheLastCreationError()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.Max = 2; o.MaxRetryAttempts = 0; });
        await using AsyncFakePool.Lease a = await pool.RentAsync();
        await using AsyncFakePool.Lease b = await pool.RentAsync();

        // Room for a third connection, which cannot be opened; then the pool is full again and a rent waits.
        database.FailWith = new TimeoutException("the server is restarting");
        pool.Resize(0, 3);
        await pool.CheckHealthAsync();
        pool.Resize(0, 2);

        PoolTimeoutException timeout = await Assert.ThrowsAsync<PoolTimeoutException>(
            async () => await pool.RentAsync(TimeSpan.FromMilliseconds(20)));

        Assert.Contains("Its latest attempt to open a connection failed with TimeoutException: the server is restarting", timeout.Message);
        Assert.Same(database.FailWith, timeout.LastCreationError);
    }

    [Fact]
    public async Task RentAsync_TimingOutWithoutOpenFailures_NamesTheTwoLikelyCauses()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => o.Max = 1);
        await using AsyncFakePool.Lease held = await pool.RentAsync();

        PoolTimeoutException timeout = await Assert.ThrowsAsync<PoolTimeoutException>(
            async () => await pool.RentAsync(TimeSpan.FromMilliseconds(20)));

        Assert.Contains("1 of Max 1 leased, 0 idle, 0 other rents waiting. Either Max is too small", timeout.Message);
        Assert.Contains("POOL101", timeout.Message);
        Assert.Contains("LeakThresholdMs", timeout.Message);
        Assert.Null(timeout.LastCreationError);
    }
}
