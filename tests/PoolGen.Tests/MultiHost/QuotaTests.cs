using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

public sealed class QuotaTests
{
    private readonly FakeHost _primary = new("primary", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("standby", 5002, EndpointRole.Standby);

    [Fact]
    public async Task RentAsync_OverTheQuota_WaitsForALeaseOfTheSameWorkloadThenTimesOutNamingIt()
    {
        // Two endpoints of Max 4: 25 % of 8 is 2 Analytics leases at once.
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o => o.QuotaPercent[Workload.Analytics] = 25);
        var first = await pool.RentAsync(Workload.Analytics);
        var second = await pool.RentAsync(Workload.Analytics);

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<WorkloadQuotaException>(
            async () => await pool.RentAsync(Workload.Analytics, TimeSpan.FromMilliseconds(200)));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 150, 2_000);
        Assert.Equal((Workload.Analytics, 2), (error.Workload, error.Limit));
        Assert.Contains("holds all 2 leases its quota allows (25 % of the endpoints' Max)", error.Message);

        // Other workloads are not held back by Analytics' quota.
        await using (await pool.RentAsync(Workload.ReadOnly, TimeSpan.FromMilliseconds(200)))
        {
        }

        // A waiting Analytics rent gets in when one comes back.
        var waiting = pool.RentAsync(Workload.Analytics).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        using (await waiting.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(2, pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).InUse);
        }

        second.Dispose();
        Assert.Equal(0, pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).InUse);
    }

    [Fact]
    public async Task Quota_UnderSaturation_NeverHoldsMoreThanItsLimit()
    {
        // About the limit, not the time: each lease is held for a millisecond, so that leases overlap and the quota fills
        // even when the suite running beside leaves few threads free (with a bare yield, a CI run once saw one lease at a
        // time); and rents wait as long as they need.
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o =>
        {
            o.QuotaPercent[Workload.Analytics] = 25;
            o.AcquireTimeoutMs = 30_000;
        });
        int inUse = 0, most = 0;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                await using var lease = await pool.RentAsync(Workload.Analytics);
                int now = Interlocked.Increment(ref inUse);
                InterlockedMax(ref most, now);
                await Task.Delay(1);
                Interlocked.Decrement(ref inUse);
            }
        })));

        Assert.Equal(2, most);
        Assert.Equal(0, pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).InUse);
    }

    [Fact]
    public async Task Quota_WhenARentFails_GivesItsPermitBack()
    {
        _primary.Down = true;
        _standby.Down = true;
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o => o.QuotaPercent[Workload.Analytics] = 25);
        await pool.WarmUpAsync();

        for (int i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<EndpointUnavailableException>(async () => await pool.RentAsync(Workload.Analytics));
        }

        Assert.Equal(0, pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).InUse);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
