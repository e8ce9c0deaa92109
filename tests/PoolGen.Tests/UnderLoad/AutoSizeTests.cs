using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.UnderLoad;

/// <summary>
/// AutoSize in a pool, on a clock the test moves: a step up in demand opens connections ahead of it within seconds, a
/// step down closes the idle ones after a minute, and the load and advice are sampled once a second.
/// </summary>
public sealed class AutoSizeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AStepUp_OpensConnectionsAheadOfDemand_AndAStepDown_ClosesThemAfterAMinute()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o =>
        {
            o.Max = 50;
            o.AutoSize = true;
            o.TimeProvider = _time;
            o.ShutdownTimeoutMs = 0;
        });
        var held = new List<AsyncFakePool.Lease>();
        for (int i = 0; i < 16; i++)
        {
            held.Add(await pool.RentAsync());
        }

        // Sixteen leased: within a few seconds the pool holds 16 × 1.25 = 20 open, 4 of them idle and ready.
        await Seconds(5);
        await Eventually.True(() => pool.Stats.Total == 20 && pool.Stats.Idle == 4, $"20 open, 4 idle: {pool.Stats}");
        int opensAfterStep = database.OpenCount;

        // Steady for two minutes: nothing opens or closes.
        await Seconds(120);
        Assert.Equal((20, opensAfterStep), (pool.Stats.Total, database.OpenCount));

        // Demand falls to 2: the pool keeps its connections for a minute, then comes down to 2 × 1.25 → 3.
        held.Skip(2).ToList().ForEach(lease => lease.Dispose());
        await Seconds(30);
        Assert.Equal(20, pool.Stats.Total);
        await Seconds(60);
        await Eventually.True(() => pool.Stats.Total == 3, $"3 open: {pool.Stats}");

        PoolLoad load = pool.GetLoad()!;
        Assert.True(load.Window >= TimeSpan.FromMinutes(3), $"window {load.Window}");
        Assert.Equal(16, load.PeakDemand);
        held.Take(2).ToList().ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task WithoutAutoSize_ThePoolOpensOnlyWhatRentsAskFor()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.Max = 50; o.TimeProvider = _time; o.ShutdownTimeoutMs = 0; });
        var held = new List<AsyncFakePool.Lease>();
        for (int i = 0; i < 16; i++)
        {
            held.Add(await pool.RentAsync());
        }

        await Seconds(10);

        Assert.Equal((16, 0), (pool.Stats.Total, pool.Stats.Idle));
        held.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public async Task GetLoad_AfterSteadyUse_ReportsTheRateTheHoldAndTheUtilisation()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.Max = 4; o.TimeProvider = _time; o.ShutdownTimeoutMs = 0; });
        Assert.Null(pool.GetLoad());

        // Each second: 10 rents, and 2 connections held across the sample, so 2 of 2 open are leased at every look.
        AsyncFakePool.Lease a = await pool.RentAsync(), b = await pool.RentAsync();
        for (int second = 0; second < 20; second++)
        {
            for (int i = 0; i < 10; i++)
            {
                (await pool.RentAsync()).Dispose();
            }

            await Seconds(1);
        }

        PoolLoad load = pool.GetLoad()!;
        Assert.Equal(TimeSpan.FromSeconds(19), load.Window);
        Assert.Equal(10, load.RentsPerSecond, precision: 1);
        Assert.Equal(2, load.MeanDemand, precision: 1);
        Assert.Equal(200, load.MeanHold.TotalMilliseconds, precision: 0);
        Assert.Equal(3, load.Open);
        Assert.Equal(load, pool.GetHealth().Load);
        a.Dispose();
        b.Dispose();
    }

    /// <summary>Moves the clock second by second, letting each sampling tick run.</summary>
    private async Task Seconds(int seconds)
    {
        for (int i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
    }
}
