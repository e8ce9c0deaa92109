using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// The server is down and a pool has no connection: rents learn it within about one retry cycle, with
/// <see cref="PoolConnectionException"/>, instead of each waiting out its 30 s acquire timeout.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FailFastTests : IAsyncLifetime
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    private const int Rents = 20;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-failfast-{Guid.NewGuid():N}";

    public FailFastTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _cluster.EnsureServerRunningAsync();

    [Fact]
    public async Task RentAsync_WhileTheServerIsDown_TwentyRentsWithRoomEachFailWithinAboutOneRetryCycle()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new WideFailFastPool(_cluster.ConnectionStringFor(_app));
        await _cluster.StopServerAsync("fast");

        // One failed open is about 0.7 s of back-off (100 + 200 + 400 ms) plus four refused connects on loopback.
        // 3 s leaves room for a loaded two-core machine and is a tenth of the 30 s acquire timeout.
        (Exception? error, long elapsedMs)[] answers = await RentAllAsync(
            async () =>
            {
                await using var lease = await pool.RentAsync(limit.Token);
            },
            limit.Token);

        Assert.All(answers, a => Assert.IsType<PoolConnectionException>(a.error));
        Assert.All(answers, a => Assert.Equal(4, ((PoolConnectionException)a.error!).Attempts)); // one attempt, MaxRetryAttempts = 3
        Assert.All(answers, a => Assert.InRange(a.elapsedMs, 0, 3_000));

        PoolStats stats = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s is { Opening: 0, Pending: 0 });
        _output.WriteLine(stats.ToString());
        Assert.Equal((0, 0, 0, 0, 0), (stats.Total, stats.Idle, stats.Leased, stats.Opening, stats.Pending));
        Assert.Equal((0L, 0L, 0L, Rents * 4L), (stats.Created, stats.Closed, stats.Timeouts, stats.CreateFailures));
    }

    [Fact]
    public async Task RentAsync_WhileTheServerIsDown_TwentyRentsQueuedBehindMax2AllFailWithinAboutOneRetryCycle()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new NarrowFailFastPool(_cluster.ConnectionStringFor(_app));
        await using var watch = StatsWatch.Start(() => pool.Stats, max: 2);
        await _cluster.StopServerAsync("fast");

        // Two rents open connections; eighteen queue. When an open fails, the database is down for the waiters too:
        // they should hear so then, not one or two per further retry cycle. One cycle is about 0.75 s (250 + 500 ms);
        // 3 s allows for a slow machine and for a second cycle, and is a tenth of the 30 s acquire timeout. Failing
        // two waiters per cycle would take ten cycles, about 7.5 s.
        (Exception? error, long elapsedMs)[] answers = await RentAllAsync(
            async () =>
            {
                await using var lease = await pool.RentAsync(limit.Token);
            },
            limit.Token);

        Assert.All(answers, a => Assert.IsType<PoolConnectionException>(a.error));
        Assert.All(answers, a => Assert.InRange(a.elapsedMs, 0, 3_000));

        PoolStats stats = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s is { Opening: 0, Pending: 0 });
        _output.WriteLine(stats.ToString());
        Assert.Equal((0, 0, 0, 0, 0), (stats.Total, stats.Idle, stats.Leased, stats.Opening, stats.Pending));
        Assert.Equal((0L, 0L, 0L), (stats.Created, stats.Closed, stats.Timeouts));
        Assert.Empty(await watch.StopAsync());
    }

    /// <summary>Starts <see cref="Rents"/> rents together and returns how each ended and after how long.</summary>
    private async Task<(Exception? Error, long ElapsedMs)[]> RentAllAsync(Func<Task> rent, CancellationToken cancellationToken)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<(Exception?, long)>[] renters = Enumerable.Range(0, Rents).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await rent();
                return ((Exception?)null, stopwatch.ElapsedMilliseconds);
            }
            catch (Exception ex)
            {
                return (ex, stopwatch.ElapsedMilliseconds);
            }
        })).ToArray();

        start.SetResult();
        (Exception?, long)[] answers = await Task.WhenAll(renters).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        foreach ((Exception? error, long elapsedMs) in answers.OrderBy(a => a.Item2))
        {
            _output.WriteLine($"{elapsedMs,6} ms: {error?.GetType().Name ?? "a lease"} {(error as PoolConnectionException)?.Attempts}");
        }

        return answers;
    }
}
