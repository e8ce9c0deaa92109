using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>Max lifetime on a pool of twenty filled at once: every connection is replaced, and not all at the same moment.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LifetimeTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int Size = 20;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-lifetime-{Guid.NewGuid():N}";

    public LifetimeTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task MaxLifetime_OnAPoolOf20FilledAtOnce_ReplacesEveryConnectionWithANewBackendAfterItsLifetimeNotAllInOnePass()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new LifetimePool(_cluster.ConnectionStringFor(_app));
        long fillStart = Stopwatch.GetTimestamp();
        await pool.WarmUpAsync(limit.Token);
        TimeSpan fill = Stopwatch.GetElapsedTime(fillStart);
        int[] originals = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(Size, originals.Length);

        // Watch the server's view until every original backend is gone and twenty new ones stand in their place. The
        // lifetime is 6 s less up to 1.2 s of jitter: all originals should be gone ~6 s after the fill, plus up to one
        // maintenance interval (0.8 s); 25 s is a generous bound for a loaded machine.
        var timeline = new List<(long Ms, int Originals, int Live)>();
        while (Stopwatch.GetElapsedTime(fillStart) < TimeSpan.FromSeconds(25))
        {
            int[] live = await _cluster.BackendPidsAsync(_app);
            int left = live.Intersect(originals).Count();
            if (timeline.Count == 0 || timeline[^1].Originals != left || timeline[^1].Live != live.Length)
            {
                timeline.Add(((long)Stopwatch.GetElapsedTime(fillStart).TotalMilliseconds, left, live.Length));
            }

            if (left == 0 && live.Length == Size)
            {
                break;
            }

            await Task.Delay(20, limit.Token);
        }

        // The pool's own record of each retirement, in milliseconds after the fill began: the first twenty are the
        // originals (nothing else retires connections here: no idle timeout, no rents).
        double[] retiredMs = pool.ClosedAt.Select(t => (t - fillStart) * 1000.0 / Stopwatch.Frequency).ToArray();
        _output.WriteLine($"filled in {fill.TotalMilliseconds:0} ms; {pool.Stats}");
        _output.WriteLine($"retired at (ms after the fill began): {string.Join(", ", retiredMs.Select(ms => ms.ToString("0")))}");
        foreach ((long ms, int left, int live) in timeline)
        {
            _output.WriteLine($"{ms,6} ms: {left,2} originals, {live,2} backends");
        }

        (long lastMs, int lastOriginals, int lastLive) = timeline[^1];
        Assert.True(lastOriginals == 0 && lastLive == Size, $"after {lastMs} ms: {lastOriginals} originals left, {lastLive} backends");
        Assert.True(retiredMs.Length >= Size, $"only {retiredMs.Length} connections were retired");

        // None before its time: the shortest lifetime is 4.8 s, counted from its open, which came after the fill began.
        Assert.True(retiredMs[0] >= 4_800, $"a connection was retired {retiredMs[0]:0} ms after the fill began, before the shortest possible lifetime (4.8 s)");

        PoolStats stats = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s is { Total: Size, Opening: 0 });
        Assert.Equal((Size, Size, 0L), (stats.Total, stats.Idle, stats.CreateFailures));
        Assert.True(stats.Closed >= retiredMs.Length, $"{retiredMs.Length} closes recorded, {stats.Closed} counted");
        Assert.Equal(stats.Created - stats.Closed, stats.Total);

        // Not all at once: jitter spreads the twenty expiries over 1.2 s (plus the ~0.2-0.5 s the fill itself took).
        // Retiring them all in one maintenance pass empties the pool for a moment and reopens twenty connections
        // together: the stampede jitter exists to prevent. Retirement ticks every 60 ms (a twentieth of the window), so
        // spread evenly about two would go within any 100 ms; allow up to half the pool for a loaded machine whose timer
        // runs late. One pass every 0.8 s, as before the retirement ticks, retired twelve to twenty together.
        double[] originalsRetired = retiredMs[..Size];
        int mostWithin100Ms = originalsRetired.Max(t => originalsRetired.Count(u => u >= t && u < t + 100));
        Assert.True(
            mostWithin100Ms <= Size / 2,
            $"{mostWithin100Ms} of {Size} connections were retired within 100 ms of one another, at " +
            string.Join(", ", originalsRetired.Select(ms => ms.ToString("0"))) + " ms after the fill began");
    }
}
