using System.Diagnostics;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A server that accepts the TCP connection and never answers: Npgsql's own connect timeout (15 s here) is far away, so
/// only the rent's deadline (its timeout, else AcquireTimeoutMs) or its token can end the rent in time. That holds for an
/// asynchronous factory (its token is cancelled at the deadline) and for a synchronous one (the rent stops waiting for
/// it; it runs on, and its connection, if one ever comes, joins the pool or is closed).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RentDeadlineTests
{
    public enum Factory
    {
        /// <summary><c>OpenAsync(cancellationToken)</c>.</summary>
        Asynchronous,

        /// <summary><c>Open()</c>, which nothing can cancel.</summary>
        Synchronous,
    }

    public enum RentShape
    {
        /// <summary><c>Rent(TimeSpan.FromSeconds(2))</c> on a pool whose AcquireTimeoutMs is 30 s.</summary>
        RentWithItsOwnTimeout,

        /// <summary><c>RentAsync(TimeSpan.FromSeconds(2))</c> on a pool whose AcquireTimeoutMs is 30 s.</summary>
        RentAsyncWithItsOwnTimeout,

        /// <summary><c>Rent()</c> on a pool whose AcquireTimeoutMs is 2,000.</summary>
        RentWithThePoolsTimeout,

        /// <summary><c>RentAsync()</c> on a pool whose AcquireTimeoutMs is 2,000.</summary>
        RentAsyncWithThePoolsTimeout,
    }

    private const int DeadlineMs = 2_000;
    private const int LongAcquireTimeoutMs = 30_000;

    // The rent must end within a second of its deadline (the hang this guards against lasted 15 s; a loaded 2-core
    // machine has been seen to take 580 ms to run the continuation); and not long before it (a timer may fire a little
    // early, a rent that gives up at once has not waited at all).
    private const int DeadlineSlackMs = 1_000;
    private const int EarliestMs = DeadlineMs - 500;

    private const int CancelAfterMs = 1_000;

    // Bound on any one rent, so a rent that hangs fails the test with a number instead of hanging it.
    private static readonly TimeSpan RentLimit = TimeSpan.FromSeconds(30);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-deadline-{Guid.NewGuid():N}";

    public RentDeadlineTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Theory]
    [InlineData(Factory.Asynchronous, RentShape.RentWithItsOwnTimeout)]
    [InlineData(Factory.Asynchronous, RentShape.RentAsyncWithItsOwnTimeout)]
    [InlineData(Factory.Asynchronous, RentShape.RentWithThePoolsTimeout)]
    [InlineData(Factory.Asynchronous, RentShape.RentAsyncWithThePoolsTimeout)]
    [InlineData(Factory.Synchronous, RentShape.RentWithItsOwnTimeout)]
    [InlineData(Factory.Synchronous, RentShape.RentAsyncWithItsOwnTimeout)]
    [InlineData(Factory.Synchronous, RentShape.RentWithThePoolsTimeout)]
    [InlineData(Factory.Synchronous, RentShape.RentAsyncWithThePoolsTimeout)]
    public async Task Rent_WhenTheServerNeverAnswers_FailsWithPoolTimeoutNamingThePoolAtTheDeadline(Factory factory, RentShape shape)
    {
        await using var server = new SilentServer();
        bool poolsTimeout = shape is RentShape.RentWithThePoolsTimeout or RentShape.RentAsyncWithThePoolsTimeout;
        await using var pool = DeadlinePool.Create(factory, SilentConnectionString(server.Port), poolsTimeout ? DeadlineMs : LongAcquireTimeoutMs);
        TimeSpan deadline = TimeSpan.FromMilliseconds(DeadlineMs);
        Func<Task> rent = shape switch
        {
            RentShape.RentWithItsOwnTimeout => () => pool.Rent(deadline),
            RentShape.RentAsyncWithItsOwnTimeout => () => pool.RentAsync(deadline, CancellationToken.None),
            RentShape.RentWithThePoolsTimeout => () => pool.Rent(null),
            _ => () => pool.RentAsync(null, CancellationToken.None),
        };

        (Exception? error, long elapsedMs) = await MeasureAsync(rent);
        _output.WriteLine($"{factory} factory, {shape}: {Describe(error)} after {elapsedMs} ms; the server accepted {server.Accepted} connections; {pool.Stats}");

        Assert.True(
            error is PoolTimeoutException && elapsedMs <= DeadlineMs + DeadlineSlackMs,
            $"expected PoolTimeoutException within {DeadlineMs + DeadlineSlackMs} ms of a {DeadlineMs} ms deadline, got {Describe(error)} after {elapsedMs} ms");
        var timeout = (PoolTimeoutException)error;
        Assert.Equal(pool.Name, timeout.PoolName);
        Assert.Contains($"'{pool.Name}'", timeout.Message, StringComparison.Ordinal);
        Assert.True(elapsedMs >= EarliestMs, $"the rent gave up after {elapsedMs} ms, before its {DeadlineMs} ms deadline");
        Assert.True(server.Accepted >= 1, "the factory never reached the silent server: the test did not test what it says");
    }

    [Theory]
    [InlineData(Factory.Asynchronous)]
    [InlineData(Factory.Synchronous)]
    public async Task RentAsync_WhenCanceledWhileTheServerNeverAnswers_EndsWithOperationCanceledSoonAfterTheCancellation(Factory factory)
    {
        await using var server = new SilentServer();
        await using var pool = DeadlinePool.Create(factory, SilentConnectionString(server.Port), LongAcquireTimeoutMs);
        using var cancel = new CancellationTokenSource(CancelAfterMs);

        (Exception? error, long elapsedMs) = await MeasureAsync(() => pool.RentAsync(null, cancel.Token));
        _output.WriteLine($"{factory} factory: {Describe(error)} after {elapsedMs} ms (canceled after {CancelAfterMs} ms); {pool.Stats}");

        Assert.True(
            error is OperationCanceledException && elapsedMs <= CancelAfterMs + DeadlineSlackMs,
            $"expected OperationCanceledException within {CancelAfterMs + DeadlineSlackMs} ms of a rent canceled after {CancelAfterMs} ms, " +
            $"got {Describe(error)} after {elapsedMs} ms");
        Assert.True(server.Accepted >= 1, "the factory never reached the silent server: the test did not test what it says");
    }

    // The server answers 3 s after each connect, long after the rent's 1 s deadline and well before Npgsql's 15 s. An
    // asynchronous factory was canceled and leaves nothing; a synchronous one completes late, and its connection must be
    // either in the pool or closed, never open on the server and unknown to the pool.
    [Theory]
    [InlineData(Factory.Asynchronous)]
    [InlineData(Factory.Synchronous)]
    public async Task Rent_WhenTheFactoryCompletesAfterTheDeadline_ItsConnectionJoinsThePoolOrIsClosed(Factory factory)
    {
        const int LateDeadlineMs = 1_000;
        var answerAfter = TimeSpan.FromSeconds(3);
        var target = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString);
        await using var server = SilentServer.AnsweringAfter(answerAfter, target.Host!, target.Port);
        var pool = DeadlinePool.Create(factory, SilentConnectionString(server.Port), LongAcquireTimeoutMs);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            (Exception? error, long elapsedMs) = await MeasureAsync(() => pool.Rent(TimeSpan.FromMilliseconds(LateDeadlineMs)));
            _output.WriteLine($"{factory} factory: {Describe(error)} after {elapsedMs} ms");

            // Until the late open has had its chance (the server answers at 3 s), then until the pool is quiet and agrees
            // with the server about how many connections it has.
            (PoolStats Stats, int Backends) settled = await Eventually.WaitForAsync(
                async () => (Stats: pool.Stats, Backends: (await _cluster.BackendPidsAsync(_app)).Length),
                s => stopwatch.Elapsed > answerAfter + TimeSpan.FromMilliseconds(500) && s.Stats.Opening == 0 && s.Stats.Total == s.Backends,
                TimeSpan.FromSeconds(15));
            _output.WriteLine($"after the late answer: {settled.Stats}; {settled.Backends} backends on the server; the server accepted {server.Accepted} connections");

            Assert.True(settled.Stats.Opening == 0, $"{settled.Stats.Opening} opens still counted after the server answered: {settled.Stats}");
            Assert.True(
                settled.Stats.Total == settled.Backends,
                $"the server has {settled.Backends} backends for the pool but the pool holds {settled.Stats.Total}: a late connection was neither pooled nor closed");
            Assert.Equal(settled.Stats.Total, settled.Stats.Idle + settled.Stats.Leased);
            Assert.Equal(settled.Stats.Created - settled.Stats.Closed, settled.Stats.Total);

            Assert.True(
                error is PoolTimeoutException && elapsedMs <= LateDeadlineMs + DeadlineSlackMs,
                $"expected PoolTimeoutException within {LateDeadlineMs + DeadlineSlackMs} ms of a {LateDeadlineMs} ms deadline, got {Describe(error)} after {elapsedMs} ms");
        }
        finally
        {
            await pool.DisposeAsync();
        }

        // Disposing the pool closes whatever it kept.
        int[] left = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0);
        Assert.True(left.Length == 0, $"{left.Length} backends still open after the pool was disposed");
    }

    /// <summary>Runs a rent on the thread pool (a synchronous factory may block the caller) and says how it ended.</summary>
    private static async Task<(Exception? Error, long ElapsedMs)> MeasureAsync(Func<Task> rent)
    {
        var stopwatch = Stopwatch.StartNew();
        Task attempt = Task.Run(rent);
        try
        {
            await attempt.WaitAsync(RentLimit);
            return (null, stopwatch.ElapsedMilliseconds);
        }
        catch (Exception ex)
        {
            Exception outcome = attempt.IsCompleted
                ? ex
                : new TimeoutException($"the rent had not ended after {RentLimit.TotalSeconds:0} s (the test stopped waiting)");
            return (outcome, stopwatch.ElapsedMilliseconds);
        }
    }

    private static string Describe(Exception? error) =>
        error is null ? "a lease" : $"{error.GetType().Name} ({error.Message})";

    private string SilentConnectionString(int port) =>
        new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app))
        {
            Host = "127.0.0.1",
            Port = port,
            Timeout = 15,
            Pooling = false,
        }.ConnectionString;

    /// <summary>
    /// Either deadline pool behind one face, so each case is written once; a rent that gets a lease returns it at once.
    /// A null timeout means the pool's own (<c>Rent()</c>, <c>RentAsync(token)</c>).
    /// </summary>
    private abstract class DeadlinePool : IAsyncDisposable
    {
        public abstract string Name { get; }

        public abstract PoolStats Stats { get; }

        public static DeadlinePool Create(Factory factory, string connectionString, int acquireTimeoutMs) => factory switch
        {
            Factory.Asynchronous => new AsyncFactory(new DeadlineAsyncFactoryPool(connectionString, acquireTimeoutMs)),
            _ => new SyncFactory(new DeadlineSyncFactoryPool(connectionString, acquireTimeoutMs)),
        };

        public abstract Task Rent(TimeSpan? timeout);

        public abstract Task RentAsync(TimeSpan? timeout, CancellationToken cancellationToken);

        public abstract ValueTask DisposeAsync();

        private sealed class AsyncFactory(DeadlineAsyncFactoryPool pool) : DeadlinePool
        {
            public override string Name => nameof(DeadlineAsyncFactoryPool);

            public override PoolStats Stats => pool.Stats;

            public override Task Rent(TimeSpan? timeout)
            {
                using DeadlineAsyncFactoryPool.Lease lease = timeout is { } t ? pool.Rent(t) : pool.Rent();
                return Task.CompletedTask;
            }

            public override async Task RentAsync(TimeSpan? timeout, CancellationToken cancellationToken)
            {
                await using DeadlineAsyncFactoryPool.Lease lease = timeout is { } t
                    ? await pool.RentAsync(t, cancellationToken)
                    : await pool.RentAsync(cancellationToken);
            }

            public override ValueTask DisposeAsync() => pool.DisposeAsync();
        }

        private sealed class SyncFactory(DeadlineSyncFactoryPool pool) : DeadlinePool
        {
            public override string Name => nameof(DeadlineSyncFactoryPool);

            public override PoolStats Stats => pool.Stats;

            public override Task Rent(TimeSpan? timeout)
            {
                using DeadlineSyncFactoryPool.Lease lease = timeout is { } t ? pool.Rent(t) : pool.Rent();
                return Task.CompletedTask;
            }

            public override async Task RentAsync(TimeSpan? timeout, CancellationToken cancellationToken)
            {
                await using DeadlineSyncFactoryPool.Lease lease = timeout is { } t
                    ? await pool.RentAsync(t, cancellationToken)
                    : await pool.RentAsync(cancellationToken);
            }

            public override ValueTask DisposeAsync() => pool.DisposeAsync();
        }
    }
}
