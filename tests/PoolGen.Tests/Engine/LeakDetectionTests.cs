using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class LeakDetectionTests
{
    [Fact]
    public async Task ALeaseHeldPastTheThreshold_IsReportedOnceWithTheCallSiteOfItsRent()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        await using var pool = new AsyncFakePool(new FakeDatabase(), o =>
        {
            o.TimeProvider = time;
            o.LeakThresholdMs = 1_000;
            o.Logger = logger;
        });
        AsyncFakePool.Lease leaked = await RentAndForgetAsync(pool);
        AsyncFakePool.Lease returnedInTime = await pool.RentAsync();
        time.Advance(TimeSpan.FromMilliseconds(500));
        await returnedInTime.DisposeAsync();

        for (int i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
        }

        string report = Assert.Single(logger.MessagesOf("LeakSuspected"));
        Assert.Contains("Pool 'AsyncFakePool': a lease has been held for", report);
        Assert.Contains("longer than LeakThresholdMs (1000 ms)", report);
        Assert.Contains(nameof(RentAndForgetAsync), report);
        Assert.Equal(1L, pool.Stats.LeaksSuspected);
        PoolHealth health = pool.GetHealth();
        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Contains(health.Issues, i => i.StartsWith("Leaks suspected: 1 lease held longer than LeakThresholdMs (1,000 ms)", StringComparison.Ordinal));
        await leaked.DisposeAsync();
        Assert.True(pool.GetHealth().IsHealthy);
    }

    [Fact]
    public void ASynchronousRentHeldTooLong_IsReportedWithItsCaller()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        using var pool = new FakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.LeakThresholdMs = 200; o.Logger = logger; });
        FakePool.Lease held = pool.Rent();

        time.Advance(TimeSpan.FromMilliseconds(200));
        time.Advance(TimeSpan.FromMilliseconds(200));

        string report = Assert.Single(logger.MessagesOf("LeakSuspected"));
        Assert.Contains(nameof(ASynchronousRentHeldTooLong_IsReportedWithItsCaller), report);
        Assert.DoesNotContain("PoolEngine", report);
        held.Dispose();
    }

    [Fact]
    public async Task WithTheThresholdOff_NothingIsTrackedOrReported()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.Logger = logger; });
        AsyncFakePool.Lease held = await pool.RentAsync();

        time.Advance(TimeSpan.FromHours(1));

        Assert.Empty(logger.MessagesOf("LeakSuspected"));
        Assert.Equal(0L, pool.Stats.LeaksSuspected);
        await held.DisposeAsync();
    }

    // A named method, so the report's call site can be checked.
    private static async Task<AsyncFakePool.Lease> RentAndForgetAsync(AsyncFakePool pool) => await pool.RentAsync();
}
