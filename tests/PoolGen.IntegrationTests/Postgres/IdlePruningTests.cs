using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>Idle connections above Min are pruned a few at a time down to Min, never below; Min is refilled after Clear.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IdlePruningTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int Min = 2;
    private const int Burst = 10;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-pruning-{Guid.NewGuid():N}";

    public IdlePruningTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task IdleTimeout_AfterABurstOfTen_PrunesOverSeveralPassesDownToMinAndNeverBelow()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new PruningPool(_cluster.ConnectionStringFor(_app));

        PruningPool.Lease[] burst = new PruningPool.Lease[Burst];
        for (int i = 0; i < burst.Length; i++)
        {
            burst[i] = await pool.RentAsync(limit.Token);
        }

        Assert.Equal(Burst, (await _cluster.BackendPidsAsync(_app)).Length);
        foreach (PruningPool.Lease lease in burst)
        {
            await lease.DisposeAsync();
        }

        // The pool's Total, read every few milliseconds (maintenance runs every 0.5 s), until it has stayed at Min for
        // three more passes. Each pass may close at most half of those above Min, rounded up: 10, 6, 4, 3, 2.
        var clock = Stopwatch.StartNew();
        var steps = new List<(long Ms, int Total)> { (0, pool.Stats.Total) };
        long atMinSinceMs = -1;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            int total = pool.Stats.Total;
            if (total != steps[^1].Total)
            {
                steps.Add((clock.ElapsedMilliseconds, total));
            }

            atMinSinceMs = total == Min ? (atMinSinceMs < 0 ? clock.ElapsedMilliseconds : atMinSinceMs) : -1;
            if (atMinSinceMs >= 0 && clock.ElapsedMilliseconds - atMinSinceMs >= 1_500)
            {
                break;
            }

            await Task.Delay(5, limit.Token);
        }

        _output.WriteLine(string.Join(" -> ", steps.Select(s => $"{s.Total} at {s.Ms} ms")) + $"; {pool.Stats}");
        Assert.True(atMinSinceMs >= 0, $"the pool did not settle at Min {Min} within 20 s");
        Assert.All(steps, s => Assert.InRange(s.Total, Min, Burst));
        Assert.Equal(Min, steps[^1].Total);

        // Gradual: four passes (10 -> 6 -> 4 -> 3 -> 2), so at least two values between 10 and 2 are seen even if the
        // sampler, stalled on a loaded machine, misses one pass or two passes run back to back. The exact half per pass
        // is a unit test's business, on a fake clock.
        Assert.True(steps.Count >= 4, "10 -> 2 must take several passes: " + string.Join(" -> ", steps.Select(s => s.Total)));

        Assert.Equal(Min, (await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == Min)).Length);
        PoolStats stats = pool.Stats;
        Assert.Equal((Min, Min, (long)Burst, (long)(Burst - Min)), (stats.Total, stats.Idle, stats.Created, stats.Closed));
    }

    [Fact]
    public async Task Clear_OnAWarmPool_MaintenanceRefillsToMinWithNewBackends()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new PruningPool(_cluster.ConnectionStringFor(_app));
        await pool.WarmUpAsync(limit.Token);
        int[] before = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(Min, before.Length);

        pool.Clear();
        Assert.Equal(0, pool.Stats.Total); // Clear closes idle connections before it returns

        // Maintenance (every 0.5 s) opens Min again without any rent asking.
        PoolStats refilled = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s is { Total: Min, Opening: 0 });
        _output.WriteLine(refilled.ToString());
        Assert.Equal((Min, Min, 0L), (refilled.Total, refilled.Idle, refilled.Rents));
        int[] after = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == Min && !pids.Intersect(before).Any());
        Assert.Equal(Min, after.Length);
        Assert.Empty(after.Intersect(before));
    }
}
