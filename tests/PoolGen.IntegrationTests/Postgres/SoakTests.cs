using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A bounded soak: many workers renting with random timeouts and cancellations, running random queries, while a
/// background task kills random backends of the pool. Invariants are checked throughout and at the end.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SoakTests
{
    // 20 s of load is enough for every path to run many times (the pool's lifetime is 3 s, its idle timeout 1 s, and a
    // backend dies every ~150 ms) and keeps the integration project within a few minutes.
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(120);

    // The load comes in waves: 3 s busy, then 1.5 s quiet. In the quiet part connections sit idle, so kills hit idle
    // connections that the next rent must validate, and the pool prunes towards Min and refills it.
    private const int BusyMs = 3_000;
    private const int QuietMs = 1_500;

    private const int AsyncWorkers = 16;
    private const int SyncWorkers = 2;
    private const int Max = 8;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-soak-{Guid.NewGuid():N}";

    // What the workers saw, counted with Interlocked.
    private long _leases, _timeouts, _cancellations, _connectionFailures, _queries, _queryFailures, _invalidated, _kills;
    private int _holders, _mostHolders, _leasedTwice;
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConditionalWeakTable<NpgsqlConnection, StrongBox<int>> _inUse = new();

    public SoakTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Soak_RandomQueriesTimeoutsCancellationsAndBackendKills_NothingLostNoneLeasedTwiceAllClosedAtDispose()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var pool = new SoakPool(_cluster.ConnectionStringFor(_app));
        await using var watch = StatsWatch.Start(() => pool.Stats, Max);
        int seed = Environment.TickCount;
        _output.WriteLine($"seed {seed}");

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(LoadDuration);
        Task[] asyncWorkers = Enumerable.Range(0, AsyncWorkers)
            .Select(i => Task.Run(() => AsyncWorkerAsync(pool, new Random(seed + i), clock, stop.Token, limit.Token)))
            .ToArray();
        Thread[] syncWorkers = Enumerable.Range(0, SyncWorkers)
            .Select(i => new Thread(() => SyncWorker(pool, new Random(seed - 1 - i), stop.Token)) { IsBackground = true, Name = $"soak-sync-{i}" })
            .ToArray();
        foreach (Thread thread in syncWorkers)
        {
            thread.Start();
        }

        Task killer = Task.Run(() => KillerAsync(new Random(seed * 31), stop.Token));

        // Workers stop starting rents at LoadDuration; what is in flight ends within its timeout (2 s at most).
        await Task.WhenAll(asyncWorkers.Append(killer)).WaitAsync(LoadDuration + TimeSpan.FromSeconds(30), limit.Token);
        foreach (Thread thread in syncWorkers)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)), $"{thread.Name} did not finish");
        }

        _output.WriteLine(
            $"{clock.ElapsedMilliseconds} ms of load: {_leases} leases, {_queries} queries ({_queryFailures} failed, " +
            $"{_invalidated} leases invalidated), {_timeouts} timeouts, {_cancellations} cancellations, " +
            $"{_connectionFailures} failed opens reported, {_kills} backends killed; most holders at once {_mostHolders}");

        // Quiet now: nothing leased or waiting; maintenance may still be opening or pruning for a moment.
        PoolStats quiet = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s is { Leased: 0, Pending: 0, Opening: 0 } && s.Total == s.Idle);
        _output.WriteLine($"quiet: {quiet}");

        Assert.Empty(_unexpected.Take(10));
        Assert.Equal(0, _leasedTwice);
        Assert.InRange(_mostHolders, 1, Max);
        Assert.True(_kills >= 20, $"the killer killed only {_kills} backends: the soak did not test much");
        Assert.True(_queryFailures + quiet.ValidationFailures > 0, "no kill was ever noticed");
        Assert.True(quiet.Closed > _invalidated, $"idle pruning, lifetime and validation closed nothing: {quiet}");

        // Nothing lost: every lease the pool counted reached a worker, and came back.
        Assert.Equal((0, 0, 0), (quiet.Leased, quiet.Pending, quiet.Opening));
        Assert.Equal(_leases, quiet.Rents);
        Assert.Equal(_timeouts, quiet.Timeouts);
        Assert.InRange(quiet.Cancellations, 0, _cancellations);
        Assert.Equal(quiet.Total, quiet.Idle);
        Assert.Equal(quiet.Created - quiet.Closed, quiet.Total);

        var disposing = Stopwatch.StartNew();
        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), limit.Token);
        _output.WriteLine($"DisposeAsync took {disposing.ElapsedMilliseconds} ms");

        int[] left = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0);
        PoolStats end = pool.Stats;
        _output.WriteLine($"after dispose: {end}; {watch.Samples} stats samples");
        Assert.Empty(left);
        Assert.Equal(0, end.Total);
        Assert.Equal(end.Created, end.Closed);
        Assert.Empty(await watch.StopAsync());
    }

    private async Task AsyncWorkerAsync(SoakPool pool, Random random, Stopwatch clock, CancellationToken stop, CancellationToken limit)
    {
        while (!stop.IsCancellationRequested && !limit.IsCancellationRequested)
        {
            if (clock.ElapsedMilliseconds % (BusyMs + QuietMs) >= BusyMs)
            {
                await Task.Delay(20, limit);
                continue;
            }

            int dice = random.Next(100);
            using var cancel = dice is >= 70 and < 90 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(1, 30))) : null;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit, cancel?.Token ?? CancellationToken.None);
            SoakPool.Lease lease;
            try
            {
                if (dice < 50)
                {
                    lease = await pool.RentAsync(linked.Token); // the pool's 2 s acquire timeout
                }
                else if (dice < 70)
                {
                    lease = await pool.RentAsync(TimeSpan.FromMilliseconds(random.Next(0, 30)), linked.Token);
                }
                else if (dice < 90)
                {
                    lease = await pool.RentAsync(linked.Token); // canceled after 1-30 ms
                }
                else if (!pool.TryRent(out lease))
                {
                    await Task.Delay(1, limit);
                    continue;
                }
            }
            catch (Exception ex) when (CountRentFailure(ex, limit))
            {
                continue;
            }

            await using (lease)
            {
                NpgsqlConnection connection = Acquire(lease.Connection);
                try
                {
                    // Some queries are canceled midway (Npgsql asks the server to cancel; the connection stays usable).
                    using var queryCancel = random.Next(10) == 0 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(1, 10))) : null;
                    using var queryToken = CancellationTokenSource.CreateLinkedTokenSource(limit, queryCancel?.Token ?? CancellationToken.None);
                    await using var command = new NpgsqlCommand("SELECT pg_backend_pid() FROM pg_sleep(@seconds)", connection);
                    command.Parameters.AddWithValue("seconds", random.Next(0, 6) / 1000.0);
                    Interlocked.Increment(ref _queries);
                    await command.ExecuteScalarAsync(queryToken.Token);
                    if (random.Next(20) == 0)
                    {
                        await Task.Delay(random.Next(1, 20), limit);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException or OperationCanceledException && !limit.IsCancellationRequested)
                {
                    QueryFailed(lease.Invalidate, connection);
                }
                finally
                {
                    Release(connection);
                }
            }
        }
    }

    private void SyncWorker(SoakPool pool, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            SoakPool.Lease lease;
            try
            {
                lease = random.Next(2) == 0 ? pool.Rent() : pool.Rent(TimeSpan.FromMilliseconds(random.Next(0, 30)));
            }
            catch (Exception ex) when (CountRentFailure(ex, CancellationToken.None))
            {
                continue;
            }

            using (lease)
            {
                NpgsqlConnection connection = Acquire(lease.Connection);
                try
                {
                    using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
                    Interlocked.Increment(ref _queries);
                    command.ExecuteScalar();
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
                {
                    QueryFailed(lease.Invalidate, connection);
                }
                finally
                {
                    Release(connection);
                }
            }
        }
    }

    private async Task KillerAsync(Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(random.Next(50, 250), stop);
                if (await _cluster.TerminateRandomBackendAsync(_app, CancellationToken.None) is not null)
                {
                    Interlocked.Increment(ref _kills);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Counts a rent that ended without a lease; anything the soak does not expect is recorded and fails the test at the end.</summary>
    private bool CountRentFailure(Exception ex, CancellationToken limit)
    {
        switch (ex)
        {
            case PoolTimeoutException:
                Interlocked.Increment(ref _timeouts);
                return true;
            case OperationCanceledException when !limit.IsCancellationRequested:
                Interlocked.Increment(ref _cancellations);
                return true;
            case PoolConnectionException:
                // Opens do not fail here (the server stays up), but a kill can race an open; it is reported, not lost.
                Interlocked.Increment(ref _connectionFailures);
                return true;
            default:
                _unexpected.Enqueue($"rent threw {ex}");
                return true;
        }
    }

    /// <summary>Marks a connection as held by this worker; a connection already held by another is a double lease.</summary>
    private NpgsqlConnection Acquire(NpgsqlConnection connection)
    {
        Interlocked.Increment(ref _leases);
        StrongBox<int> flag = _inUse.GetValue(connection, static _ => new StrongBox<int>());
        if (Interlocked.CompareExchange(ref flag.Value, 1, 0) != 0)
        {
            Interlocked.Increment(ref _leasedTwice);
            _unexpected.Enqueue($"a connection was leased to two holders at once (backend {connection.ProcessID})");
        }

        int holders = Interlocked.Increment(ref _holders);
        int most;
        while ((most = Volatile.Read(ref _mostHolders)) < holders && Interlocked.CompareExchange(ref _mostHolders, holders, most) != most)
        {
        }

        return connection;
    }

    /// <summary>Unmarks a connection, before its lease is disposed (after that, another worker may hold it).</summary>
    private void Release(NpgsqlConnection connection)
    {
        Interlocked.Decrement(ref _holders);
        Volatile.Write(ref _inUse.GetValue(connection, static _ => new StrongBox<int>()).Value, 0);
    }

    /// <summary>A failed query: a broken connection is invalidated so the pool closes it instead of keeping it.</summary>
    private void QueryFailed(Action invalidate, NpgsqlConnection connection)
    {
        Interlocked.Increment(ref _queryFailures);
        if (connection.FullState != ConnectionState.Open)
        {
            invalidate();
            Interlocked.Increment(ref _invalidated);
        }
    }
}
