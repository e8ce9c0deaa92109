using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Observability;

/// <summary>OnStats: a snapshot of the pool's stats at an interval, for applications without a metrics listener.</summary>
public sealed class StatsCallbackTests
{
    [Fact]
    public void OnStats_IsCalledEveryInterval_WithASnapshotOfThePool()
    {
        var time = new FakeTimeProvider();
        var snapshots = new List<PoolStats>();
        using var pool = new FakePool(new FakeDatabase(), o =>
        {
            o.TimeProvider = time;
            o.StatsIntervalMs = 1_000;
            o.OnStats = snapshots.Add;
        });
        using FakePool.Lease held = pool.Rent();

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Empty(snapshots);
        time.Advance(TimeSpan.FromMilliseconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal((1, 1, "FakePool"), (s.Leased, s.Rents, s.Name)));
    }

    [Fact]
    public void OnStats_ThatThrows_IsLoggedAndCounted_AndCalledAgainNextTime()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        int calls = 0;
        using var pool = new FakePool(new FakeDatabase(), o =>
        {
            o.TimeProvider = time;
            o.Logger = logger;
            o.StatsIntervalMs = 1_000;
            o.OnStats = _ => { calls++; throw new InvalidOperationException("the dashboard is down"); };
        });
        _ = pool.Stats;

        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, calls);
        Assert.Equal(2, pool.Stats.UserCodeErrors);
        var line = Assert.Single(logger.AtOrAbove(LogLevel.Warning));
        Assert.Contains("OnStats", line.Message, StringComparison.Ordinal);
        Assert.Contains("the dashboard is down", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnStats_StopsWhenThePoolIsDisposed()
    {
        var time = new FakeTimeProvider();
        int calls = 0;
        var pool = new FakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.StatsIntervalMs = 1_000; o.OnStats = _ => calls++; });
        _ = pool.Stats;

        pool.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, calls);
    }

    [Fact]
    public void StatsIntervalMs_BelowOne_WithOnStats_IsRefusedWithTheFix()
    {
        var options = new PoolOptions("Orders") { OnStats = _ => { }, StatsIntervalMs = 0 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains("Pool 'Orders'", error.Message, StringComparison.Ordinal);
        Assert.Contains("StatsIntervalMs is 0", error.Message, StringComparison.Ordinal);
    }
}
