using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// <c>DisposeAsync</c> with a lease still out waits for it up to <c>ShutdownTimeoutMs</c> and says so: how many leases
/// it waits for (and, with leak detection on, where they were rented), then, at the timeout, that it stops waiting and
/// will close them when they come back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ShutdownLoggingTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int ShutdownTimeoutMs = 500; // ShutdownPool's

    // The wait must be the timeout, give or take a busy machine; it must not end before it (it would not have waited).
    private const int EarliestReturnMs = ShutdownTimeoutMs - 50;
    private const int LatestReturnMs = 1_000;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-shutdown-{Guid.NewGuid():N}";

    public ShutdownLoggingTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task DisposeAsync_WithALeaseHeld_ReturnsAtTheShutdownTimeoutAndLogsHowManyLeasesItWaitedForAndThatItGaveUp()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var logger = new RecordingLogger();
        var pool = new ShutdownPool(_cluster.ConnectionStringFor(_app), logger, leakThresholdMs: 0);
        ShutdownPool.Lease held = await pool.RentAsync(limit.Token);
        try
        {
            await DisposeAndReadTheLogAsync(pool, logger, limit.Token);
        }
        finally
        {
            await held.DisposeAsync();
        }

        await CheckTheReturnedLeaseIsClosedAsync(pool);
    }

    [Fact]
    public async Task DisposeAsync_WithALeaseHeldAndLeakDetectionOn_SaysWhereTheLeaseItWaitsForWasRented()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var logger = new RecordingLogger();

        // A threshold far beyond the test, so no leak report is written: the call site can only come from the shutdown.
        var pool = new ShutdownPool(_cluster.ConnectionStringFor(_app), logger, leakThresholdMs: 60_000);
        ShutdownPool.Lease held = await pool.RentAsync(limit.Token);
        LogEntry waiting, gaveUp;
        try
        {
            (waiting, gaveUp) = await DisposeAndReadTheLogAsync(pool, logger, limit.Token);
        }
        finally
        {
            await held.DisposeAsync();
        }

        await CheckTheReturnedLeaseIsClosedAsync(pool);
        const string site = nameof(DisposeAsync_WithALeaseHeldAndLeakDetectionOn_SaysWhereTheLeaseItWaitsForWasRented);
        Assert.True(
            waiting.Message.Contains(site, StringComparison.Ordinal) || gaveUp.Message.Contains(site, StringComparison.Ordinal),
            $"with leak detection on, the shutdown's messages should say where the lease was rented (in {site}); they were:{Environment.NewLine}" +
            $"{waiting}{Environment.NewLine}{gaveUp}");
    }

    /// <summary>
    /// Disposes the pool with one lease out and checks the time it took and the two messages: the one that says it waits
    /// for 1 lease, and the warning at the timeout that it stopped waiting.
    /// </summary>
    private async Task<(LogEntry Waiting, LogEntry GaveUp)> DisposeAndReadTheLogAsync(ShutdownPool pool, RecordingLogger logger, CancellationToken cancellationToken)
    {
        TimeSpan began = logger.Now;
        var stopwatch = Stopwatch.StartNew();
        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        long elapsedMs = stopwatch.ElapsedMilliseconds;

        _output.WriteLine($"DisposeAsync returned after {elapsedMs} ms with {pool.Stats.Leased} lease out");
        _output.WriteLine(logger.Describe());

        Assert.True(
            elapsedMs is >= EarliestReturnMs and <= LatestReturnMs,
            $"DisposeAsync returned after {elapsedMs} ms; with ShutdownTimeoutMs = {ShutdownTimeoutMs} and a lease out it should wait about that long " +
            $"({EarliestReturnMs}–{LatestReturnMs} ms)");

        List<LogEntry> shutdown = logger.Entries.Where(e => e.At >= began && e.Level is LogLevel.Information or LogLevel.Warning).ToList();
        LogEntry? waiting = shutdown.FirstOrDefault(e => e.Message.Contains("1 lease", StringComparison.Ordinal));
        Assert.True(
            waiting is not null,
            $"DisposeAsync logged no Information or Warning message saying it waits for \"1 lease\"; it logged:{Environment.NewLine}{logger.Describe()}");

        TimeSpan timeout = began + TimeSpan.FromMilliseconds(EarliestReturnMs);
        LogEntry? gaveUp = shutdown.FirstOrDefault(e => e.Level == LogLevel.Warning && e.At >= timeout && e != waiting && GaveUp().IsMatch(e.Message));
        Assert.True(
            gaveUp is not null,
            $"no Warning at the shutdown timeout ({ShutdownTimeoutMs} ms after DisposeAsync began) saying the pool stopped waiting and will close " +
            $"the lease when it is returned; it logged:{Environment.NewLine}{logger.Describe()}");
        return (waiting, gaveUp);
    }

    /// <summary>The lease the shutdown stopped waiting for has been returned: its connection is closed then, on the server too.</summary>
    private async Task CheckTheReturnedLeaseIsClosedAsync(ShutdownPool pool)
    {
        PoolStats stats = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Total == 0);
        Assert.Equal((0, 1L, 1L), (stats.Total, stats.Created, stats.Closed));
        Assert.Empty(await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0));
    }

    // The wording is the engine's; this accepts the usual ways of saying "gave up waiting, will close it on return".
    [GeneratedRegex(@"gave up|give up|giving up|stop(ped|s)? waiting|no longer wait|not wait(ing)? (any )?longer|return|come back|comes back", RegexOptions.IgnoreCase)]
    private static partial Regex GaveUp();
}
