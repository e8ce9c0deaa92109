using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPoolTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-test-{Guid.NewGuid():N}";

    public PostgresPoolTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
        _output.WriteLine($"PostgreSQL: {cluster.Origin}, ready after {cluster.StartupTime.TotalSeconds:0.00} s; application name {_app}");
    }

    [Fact]
    public async Task RentAsync_WithAsyncFactory_RunsQueryOnAnOpenBackend()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));

        int pid;
        await using (PostgresPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            Assert.True(lease.IsActive);
            await using var command = new NpgsqlCommand("SELECT 1", lease.Connection);
            Assert.Equal(1, await command.ExecuteScalarAsync(timeout.Token));
            pid = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
            Assert.Equal([pid], await _cluster.BackendPidsAsync(_app));
        }

        PoolStats stats = pool.Stats;
        Assert.Equal((1, 1, 0, 1L, 1L), (stats.Total, stats.Idle, stats.Leased, stats.Created, stats.Rents));
        Assert.Equal([pid], await _cluster.BackendPidsAsync(_app)); // returned, not closed
    }

    [Fact]
    public async Task RentAsync_64ConcurrentRentsWithMax8_AllSucceedAndServerNeverSeesMoreThan8Backends()
    {
        const int Renters = 64;
        const int Max = 8;
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));

        // Sample the server's own view of this pool's backends the whole time the renters run.
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        Task<int> mostBackendsSeen = SampleMostBackendsAsync(sampling.Token);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pidsSeen = new ConcurrentBag<int>();
        Task[] renters = Enumerable.Range(0, Renters).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using PostgresPool.Lease lease = await pool.RentAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid() FROM pg_sleep(0.02)", lease.Connection);
            pidsSeen.Add((int)(await command.ExecuteScalarAsync(timeout.Token))!);
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(renters).WaitAsync(timeout.Token);
        sampling.Cancel();
        int most = await mostBackendsSeen;

        PoolStats stats = pool.Stats;
        _output.WriteLine($"{stats}; most backends seen by the server at once: {most}");
        Assert.Equal(Renters, pidsSeen.Count);
        Assert.InRange(pidsSeen.Distinct().Count(), 1, Max);
        Assert.InRange(most, 1, Max);
        Assert.Equal(Renters, stats.Rents);
        Assert.InRange(stats.Created, 1, Max);
        Assert.True(stats.Waits > 0, $"64 renters over 8 connections held for 20 ms each should have waited: {stats}");
        Assert.Equal((0, 0, 0L), (stats.Leased, stats.Pending, stats.Timeouts));
        Assert.Equal(stats.Total, stats.Idle);
        Assert.Equal(stats.Total, (await _cluster.BackendPidsAsync(_app)).Length);
    }

    [Fact]
    public async Task RentAsync_AfterIdleBackendWasTerminated_ValidationDiscardsItAndRentsANewBackend()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));

        int killed;
        await using (PostgresPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            killed = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
        }

        await _cluster.TerminateBackendAsync(killed);
        int[] left = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0);
        Assert.Empty(left);

        await using (PostgresPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            int replacement = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
            Assert.NotEqual(killed, replacement);
            Assert.Equal([replacement], await _cluster.BackendPidsAsync(_app));
        }

        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Equal(1, stats.ValidationFailures);
        Assert.Equal((2L, 1L, 2L), (stats.Created, stats.Closed, stats.Rents));
        Assert.Equal((1, 1, 0), (stats.Total, stats.Idle, stats.Leased));
    }

    [Fact]
    public async Task RentAsync_AfterEveryIdleBackendWasTerminated_ConcurrentRentsAllSucceedOnNewBackends()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));

        // Four connections in the pool, then the server loses all of them at once, as in a failover or restart.
        PostgresPool.Lease[] warm = new PostgresPool.Lease[4];
        for (int i = 0; i < warm.Length; i++)
        {
            warm[i] = await pool.RentAsync(timeout.Token);
        }

        foreach (PostgresPool.Lease lease in warm)
        {
            await lease.DisposeAsync();
        }

        int[] killed = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(4, killed.Length);
        foreach (int pid in killed)
        {
            await _cluster.TerminateBackendAsync(pid);
        }

        Assert.Empty(await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0));

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int>[] renters = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            await using PostgresPool.Lease lease = await pool.RentAsync(timeout.Token);
            int pid = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
            await Task.Delay(20, timeout.Token); // hold it, so the four rents overlap
            return pid;
        })).ToArray();
        start.SetResult();
        int[] served = await Task.WhenAll(renters).WaitAsync(timeout.Token);

        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Empty(served.Intersect(killed));
        Assert.Equal((0L, 0L), (stats.Timeouts, stats.CreateFailures));

        // Usually all four renters meet a dead connection; one that starts late may find a fresh one instead. Either
        // way every dead connection met was discarded, and the ones not met yet are the only ones the server lacks.
        Assert.InRange(stats.ValidationFailures, 1, 4);
        Assert.Equal(stats.ValidationFailures, stats.Closed);
        int live = (await _cluster.BackendPidsAsync(_app)).Length;
        Assert.Equal(live + (4 - stats.ValidationFailures), stats.Total);
        Assert.Equal(stats.Created - stats.Closed, stats.Total);
    }

    [Fact]
    public async Task Clear_WithALeasedConnection_ClosesIdleBackendAtOnceAndLeasedBackendOnlyWhenItsLeaseIsDisposed()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));

        PostgresPool.Lease busy = await pool.RentAsync(timeout.Token);
        int busyPid = await PostgresProbe.BackendPidAsync(busy.Connection, timeout.Token);
        int idlePid;
        await using (PostgresPool.Lease idle = await pool.RentAsync(timeout.Token))
        {
            idlePid = await PostgresProbe.BackendPidAsync(idle.Connection, timeout.Token);
        }

        pool.Clear();

        int[] afterClear = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => !pids.Contains(idlePid));
        Assert.Equal([busyPid], afterClear);
        Assert.True(busy.IsActive);
        Assert.True(await PostgresProbe.RespondsAsync(busy.Connection, timeout.Token), "Clear must not close a connection while it is leased");
        Assert.Equal([busyPid], await _cluster.BackendPidsAsync(_app));
        Assert.Equal((1, 0, 1, 1L), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased, pool.Stats.Closed));

        await busy.DisposeAsync();

        int[] afterReturn = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0);
        Assert.Empty(afterReturn);
        Assert.Equal((0, 0, 0, 2L), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased, pool.Stats.Closed));

        await using PostgresPool.Lease next = await pool.RentAsync(timeout.Token);
        int nextPid = await PostgresProbe.BackendPidAsync(next.Connection, timeout.Token);
        Assert.DoesNotContain(nextPid, new[] { busyPid, idlePid });
    }

    [Fact]
    public async Task DisposeAsync_ClosesEveryBackendIdleOrReturned_AndLaterRentsThrowObjectDisposed()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        var pool = new WarmPostgresPool(_cluster.ConnectionStringFor(_app));

        await pool.WarmUpAsync(timeout.Token);
        Assert.Equal(3, (await _cluster.BackendPidsAsync(_app)).Length);

        WarmPostgresPool.Lease[] leases = new WarmPostgresPool.Lease[5];
        for (int i = 0; i < leases.Length; i++)
        {
            leases[i] = await pool.RentAsync(timeout.Token);
        }

        Assert.Equal(5, (await _cluster.BackendPidsAsync(_app)).Length);
        foreach (WarmPostgresPool.Lease lease in leases)
        {
            await lease.DisposeAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        await pool.DisposeAsync().AsTask().WaitAsync(timeout.Token);
        _output.WriteLine($"DisposeAsync took {stopwatch.ElapsedMilliseconds} ms");

        int[] left = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0);
        Assert.Empty(left);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.RentAsync(timeout.Token));
    }

    [Fact]
    public async Task DisposeAsync_WithALeaseOut_WaitsForItsReturnThenClosesItsBackend()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        var pool = new PostgresPool(_cluster.ConnectionStringFor(_app));
        PostgresPool.Lease lease = await pool.RentAsync(timeout.Token);
        int pid = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);

        Task disposing = pool.DisposeAsync().AsTask();
        await Task.Delay(300, timeout.Token);

        Assert.False(disposing.IsCompleted, "DisposeAsync must wait for the lease that is still out (ShutdownTimeoutMs)");
        Assert.True(await PostgresProbe.RespondsAsync(lease.Connection, timeout.Token), "the leased connection stays usable while the pool drains");
        Assert.Equal([pid], await _cluster.BackendPidsAsync(_app));

        await lease.DisposeAsync();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10), timeout.Token);

        Assert.Empty(await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0));
    }

    // The most backends with this test's application name that pg_stat_activity showed at any one sample.
    private async Task<int> SampleMostBackendsAsync(CancellationToken stop)
    {
        await using var observer = new NpgsqlConnection(_cluster.ConnectionString);
        await observer.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = @app", observer);
        command.Parameters.AddWithValue("app", _app);
        int most = 0;
        while (!stop.IsCancellationRequested)
        {
            most = Math.Max(most, (int)(await command.ExecuteScalarAsync(CancellationToken.None))!);
            try
            {
                await Task.Delay(2, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return most;
    }
}
