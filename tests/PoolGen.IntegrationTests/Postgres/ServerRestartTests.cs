using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// The server goes away under a pool with leases out and rents waiting, then comes back on the same port: every rent
/// gets an answer, the counts stay true, and the same pool instance recovers.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ServerRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    // RestartPool's AcquireTimeoutMs. A waiter must be answered by then, give or take the timer firing late on a busy
    // machine: 2 s of slack (a hang would be the 90 s test limit).
    private const int AcquireTimeoutMs = 3_000;
    private const int AnswerSlackMs = 2_000;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-restart-{Guid.NewGuid():N}";

    public ServerRestartTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // Whatever happened in the test, the next one finds the server running.
    public Task DisposeAsync() => _cluster.EnsureServerRunningAsync();

    // returnTwo: two of the four leases come back during the outage, so the pool has room to try opening connections
    // for the waiters (they fail with PoolConnectionException); otherwise the waiters can only time out.
    [Theory]
    [InlineData("fast", true)]
    [InlineData("immediate", false)]
    public async Task ServerStop_WithLeasesOutAndWaitersPending_AnswersEveryWaiterKeepsCountsTrueAndRecoversToMinAfterRestart(string mode, bool returnTwo)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new RestartPool(_cluster.ConnectionStringFor(_app));
        await pool.WarmUpAsync(limit.Token);

        // Max = 4: four leases out (the two warm connections and two new ones), then six rents queue behind them.
        RestartPool.Lease[] leases = new RestartPool.Lease[4];
        for (int i = 0; i < leases.Length; i++)
        {
            leases[i] = await pool.RentAsync(limit.Token);
        }

        int[] before = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(4, before.Length);
        await using var watch = StatsWatch.Start(() => pool.Stats, max: 4);

        Task<(Exception? Error, long ElapsedMs)>[] waiters = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var stopwatch = Stopwatch.StartNew();
            try
            {
                await using RestartPool.Lease lease = await pool.RentAsync(limit.Token);
                return (null, stopwatch.ElapsedMilliseconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return ((Exception?)ex, stopwatch.ElapsedMilliseconds);
            }
        })).ToArray();
        Assert.Equal(6, (await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Pending == 6)).Pending);

        var outage = Stopwatch.StartNew();
        await _cluster.StopServerAsync(mode);
        _output.WriteLine($"pg_ctl stop -m {mode} took {outage.ElapsedMilliseconds} ms");

        if (returnTwo)
        {
            // Two leases come back while the rents still wait: one marked broken, one as if nothing had happened. The
            // pool validates before lending (ValidateAfterIdleMs = 0), so neither dead connection reaches a waiter; the
            // freed room makes it try to open new ones for them, which fail while the server is down.
            leases[0].Invalidate();
            await leases[0].DisposeAsync();
            await leases[1].DisposeAsync();
        }

        (Exception? Error, long ElapsedMs)[] answers = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30), limit.Token);
        foreach ((Exception? error, long elapsedMs) in answers)
        {
            _output.WriteLine($"waiter answered after {elapsedMs} ms: {error?.GetType().Name ?? "a lease"}: {error?.Message}");
        }

        Assert.All(answers, a => Assert.True(
            a.Error is PoolTimeoutException or PoolConnectionException,
            $"with the server down a waiter must fail with PoolTimeoutException or PoolConnectionException, not {a.Error?.GetType().Name ?? "get a lease"}"));
        Assert.All(answers, a => Assert.InRange(a.ElapsedMs, 0, AcquireTimeoutMs + AnswerSlackMs));
        if (returnTwo)
        {
            Assert.Contains(answers, a => a.Error is PoolConnectionException); // opens were tried for them, and they were told why they failed
        }
        else
        {
            // No room, nothing returned: each waiter waits out its own timeout, and not much less (timers may fire a
            // few milliseconds early, not a second).
            Assert.All(answers, a => Assert.IsType<PoolTimeoutException>(a.Error));
            Assert.All(answers, a => Assert.InRange(a.ElapsedMs, AcquireTimeoutMs - 100, AcquireTimeoutMs + AnswerSlackMs));
        }

        PoolStats afterWaiters = pool.Stats;
        _output.WriteLine($"after the waiters: {afterWaiters}");
        Assert.Equal((0, returnTwo ? 2 : 4), (afterWaiters.Pending, afterWaiters.Leased));
        Assert.Equal(6L, afterWaiters.Timeouts + answers.Count(a => a.Error is PoolConnectionException));

        // The leases still out hold dead connections too; their holders find out and invalidate them.
        foreach (RestartPool.Lease lease in leases[(returnTwo ? 2 : 0)..])
        {
            Assert.False(await PostgresProbe.RespondsAsync(lease.Connection, limit.Token));
            lease.Invalidate();
            await lease.DisposeAsync();
        }

        // Every connection of the old server is closed; maintenance keeps trying to refill to Min (Opening may show it).
        PoolStats drained = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s is { Total: 0, Idle: 0, Leased: 0, Pending: 0 });
        _output.WriteLine($"drained: {drained}");
        Assert.Equal((0, 0, 0, 0), (drained.Total, drained.Idle, drained.Leased, drained.Pending));
        Assert.Equal((4L, 4L), (drained.Created, drained.Closed));
        Assert.InRange(drained.Opening, 0, 2);

        await _cluster.StartServerAsync();
        _output.WriteLine($"server down for {outage.ElapsedMilliseconds} ms in all");

        // The same pool refills to Min by itself (maintenance every second), on new backends.
        PoolStats recovered = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s is { Total: 2, Idle: 2, Opening: 0 }, TimeSpan.FromSeconds(30));
        _output.WriteLine($"recovered: {recovered}");
        Assert.Equal((2, 2, 0), (recovered.Total, recovered.Idle, recovered.Opening));
        int[] after = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 2);
        Assert.Equal(2, after.Length);
        Assert.Empty(after.Intersect(before));

        await using (RestartPool.Lease lease = await pool.RentAsync(limit.Token))
        {
            Assert.Contains(await PostgresProbe.BackendPidAsync(lease.Connection, limit.Token), after);
        }

        IReadOnlyList<string> violations = await watch.StopAsync();
        _output.WriteLine($"{watch.Samples} stats samples; at the end {pool.Stats}");
        Assert.Empty(violations);
        Assert.Equal(pool.Stats.Created - pool.Stats.Closed, pool.Stats.Total);
    }

    [Fact]
    public async Task ServerRestart_WithOnlyIdleConnections_TheDeadOnesAreDiscardedAndMaintenanceRefillsToMinWithoutARent()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new RestartPool(_cluster.ConnectionStringFor(_app));
        await pool.WarmUpAsync(limit.Token);
        int[] before = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(2, before.Length);
        await using var watch = StatsWatch.Start(() => pool.Stats, max: 4);

        await _cluster.StopServerAsync("fast");

        // A rent during the outage discards the dead connections it meets, cannot open a new one and says so.
        var stopwatch = Stopwatch.StartNew();
        PoolConnectionException error = await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync(limit.Token));
        _output.WriteLine($"rent failed after {stopwatch.ElapsedMilliseconds} ms: {error.Message}");
        Assert.Equal(3, error.Attempts); // MaxRetryAttempts = 2: one attempt and two retries

        // Both dead connections end up closed, at least one after a failed validation (by the rent, or by maintenance,
        // which validates idle connections too). Pruning may take the other without validating it: when the outage
        // began more than the idle timeout (2 s) after the warm-up and the rent's reservation lifted the pool above Min.
        PoolStats afterRent = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Closed == 2);
        Assert.Equal((0, 2L), (afterRent.Total, afterRent.Closed));
        Assert.InRange(afterRent.ValidationFailures, 1, 2);

        // While the server is down, maintenance keeps trying to refill (a pass a second), and fails without a rent asking.
        long failuresBefore = pool.Stats.CreateFailures;
        PoolStats trying = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s.CreateFailures > failuresBefore, TimeSpan.FromSeconds(10));
        Assert.True(trying.CreateFailures > failuresBefore, $"maintenance made no attempt to refill to Min: {trying}");
        Assert.Equal(0, trying.Total);

        await _cluster.StartServerAsync();

        PoolStats recovered = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s is { Total: 2, Idle: 2, Opening: 0 }, TimeSpan.FromSeconds(30));
        _output.WriteLine($"recovered: {recovered}");
        Assert.Equal((2, 2, 0, 0L), (recovered.Total, recovered.Idle, recovered.Leased, recovered.Rents));
        int[] after = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 2);
        Assert.Equal(2, after.Length);
        Assert.Empty(after.Intersect(before));

        Assert.Empty(await watch.StopAsync());
        Assert.Equal(pool.Stats.Created - pool.Stats.Closed, pool.Stats.Total);
    }

    [Fact]
    public async Task DisposeAsync_DuringAnOutageWithLeasesOutAndWaitersPending_ReleasesWaitersAtOnceAndClosesTheDeadConnectionsOnReturn()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var pool = new RestartPool(_cluster.ConnectionStringFor(_app));
        await pool.WarmUpAsync(limit.Token);
        RestartPool.Lease[] leases = new RestartPool.Lease[4];
        for (int i = 0; i < leases.Length; i++)
        {
            leases[i] = await pool.RentAsync(limit.Token);
        }

        Task<Exception?>[] waiters = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            try
            {
                await using RestartPool.Lease lease = await pool.RentAsync(limit.Token);
                return null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return ex;
            }
        })).ToArray();
        Assert.Equal(3, (await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Pending == 3)).Pending);

        await _cluster.StopServerAsync("immediate");

        // DisposeAsync waits for the four leases (ShutdownTimeoutMs, 30 s by default); the waiters must not wait with it.
        var stopwatch = Stopwatch.StartNew();
        Task disposing = pool.DisposeAsync().AsTask();
        Exception?[] answers = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(15), limit.Token);
        _output.WriteLine($"waiters released after {stopwatch.ElapsedMilliseconds} ms: {string.Join(", ", answers.Select(a => a?.GetType().Name))}");

        // Well under the waiters' 3 s timeout: they were released by the disposal, not timed out.
        Assert.All(answers, a => Assert.IsType<ObjectDisposedException>(a));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 2_000);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.RentAsync(limit.Token));
        Assert.False(disposing.IsCompleted, "DisposeAsync must wait for the leases still out");

        // The holders return dead connections without knowing: closing them must neither throw nor hang.
        leases[0].Dispose();
        await leases[1].DisposeAsync();
        leases[2].Invalidate();
        leases[2].Dispose();
        await leases[3].DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10), limit.Token);

        PoolStats end = pool.Stats;
        _output.WriteLine($"disposed after {stopwatch.ElapsedMilliseconds} ms: {end}");
        Assert.Equal((0, 0, 0, 0, 0), (end.Total, end.Idle, end.Leased, end.Opening, end.Pending));
        Assert.Equal((4L, 4L), (end.Created, end.Closed));

        await _cluster.StartServerAsync();
        Assert.Empty(await _cluster.BackendPidsAsync(_app));
    }
}
