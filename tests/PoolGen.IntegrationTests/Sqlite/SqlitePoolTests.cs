using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Sqlite;

public sealed class SqlitePoolTests : IDisposable
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new("poolgen-sqlite");
    private readonly ITestOutputHelper _output;

    public SqlitePoolTests(ITestOutputHelper output) => _output = output;

    private string DatabaseFile => _directory.Combine("orders.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task RentAsync_ConcurrentWritersAndReadersOnOneFile_EveryInsertIsCountedAndReadersNeverSeeMore()
    {
        const int Writers = 12;
        const int InsertsPerWriter = 40;
        const int Readers = 6;
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new SqlitePool(DatabaseFile);

        using (SqlitePool.Lease lease = pool.Rent())
        {
            Execute(lease.Connection, "PRAGMA journal_mode = WAL; CREATE TABLE orders (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, amount INTEGER NOT NULL);");
        }

        using var writersDone = new CancellationTokenSource();
        var readerViolations = new ConcurrentQueue<string>();
        int reads = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            await start.Task;
            long last = 0;
            do
            {
                await using (SqlitePool.Lease lease = await pool.RentAsync(timeout.Token))
                {
                    long count = Scalar(lease.Connection, "SELECT count(*) FROM orders;");
                    if (count < last || count > Writers * InsertsPerWriter)
                    {
                        readerViolations.Enqueue($"reader {r} saw {count} rows after {last}");
                    }

                    last = count;
                    Interlocked.Increment(ref reads);

                    // Holding the lease across an await is what makes renters overlap: SQLite calls are synchronous.
                    await Task.Delay(1, CancellationToken.None);
                }
            }
            while (!writersDone.IsCancellationRequested && !timeout.IsCancellationRequested);
        })).ToArray();

        Task[] writers = Enumerable.Range(1, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (int i = 1; i <= InsertsPerWriter; i++)
            {
                await using SqlitePool.Lease lease = await pool.RentAsync(timeout.Token);
                Execute(lease.Connection, $"INSERT INTO orders (writer, amount) VALUES ({w}, {i});");
                await Task.Delay(1, CancellationToken.None); // committed already: the lease is held, SQLite's lock is not
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(timeout.Token);
        writersDone.Cancel();
        await Task.WhenAll(readers).WaitAsync(timeout.Token);

        PoolStats stats = pool.Stats;
        _output.WriteLine($"{stats}; {reads} reads");
        Assert.Empty(readerViolations);
        Assert.True(reads >= Readers, $"every reader reads at least once, but there were {reads} reads");

        // Checked through a connection of its own, so the pool cannot hide anything.
        using (var check = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False"))
        {
            check.Open();
            Assert.Equal(Writers * InsertsPerWriter, Scalar(check, "SELECT count(*) FROM orders;"));
            Assert.Equal(Writers * (InsertsPerWriter * (InsertsPerWriter + 1) / 2), Scalar(check, "SELECT sum(amount) FROM orders;"));
            Assert.Equal(Writers, Scalar(check, "SELECT count(DISTINCT writer) FROM orders;"));
        }

        Assert.Equal(1 + (Writers * InsertsPerWriter) + reads, stats.Rents);
        Assert.InRange(stats.Created, 2, 8); // the renters overlapped, and never beyond Max
        Assert.Equal(stats.Created, stats.Total);
        Assert.Equal(pool.Opened, stats.Created);
        Assert.Equal((0, 0), (stats.Leased, stats.Pending));
        Assert.Equal(stats.Total, stats.Idle + stats.Leased);
    }

    [Fact]
    public async Task WarmUpAsync_OpensExactlyMinConnectionsAndLeavesThemIdle()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using var pool = new SqlitePool(DatabaseFile);

        await pool.WarmUpAsync(timeout.Token);

        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Equal(2, pool.Opened);
        Assert.Equal((2, 2, 0, 2L, 0L), (stats.Total, stats.Idle, stats.Leased, stats.Created, stats.Rents));
        Assert.Equal((2, 8), (stats.Min, stats.Max));

        // Warm connections serve the next rents without opening more.
        using (SqlitePool.Lease first = pool.Rent())
        using (SqlitePool.Lease second = pool.Rent())
        {
            Assert.NotSame(first.Connection, second.Connection);
            Assert.Equal(1, Scalar(first.Connection, "SELECT 1;"));
        }

        Assert.Equal(2, pool.Opened);
    }

    [Fact]
    public async Task WarmUpAsync_WhenTheDatabaseCannotBeOpened_ThrowsAfterTheRetriesOfEachMissingConnection()
    {
        await using var pool = new UnreachableSqlitePool(_directory.Combine("missing", "none.db"), DatabaseFile);

        // On a worker thread and bounded, so that a warm-up that keeps retrying fails this test instead of hanging it.
        Task warmUp = Task.Run(async () => await pool.WarmUpAsync());
        var error = await Assert.ThrowsAsync<PoolConnectionException>(() => warmUp.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(3, error.Attempts);

        PoolStats stats = pool.Stats;
        _output.WriteLine($"{stats}; factory called {pool.Attempts} times");
        Assert.Equal(6, pool.Attempts); // Min is 2: one attempt and two retries each, then the pool gives up
        Assert.Equal((6L, 0L), (stats.CreateFailures, stats.Created));
        Assert.Equal((0, 0), (stats.Total, stats.Opening));
    }

    [Fact]
    public void Stats_WhenQuiet_TotalIsIdlePlusLeasedAndCountersAddUp()
    {
        using var pool = new SizedSqlitePool(DatabaseFile, max: 4);

        SizedSqlitePool.Lease held = pool.Rent();
        SizedSqlitePool.Lease second = pool.Rent();
        using (SizedSqlitePool.Lease third = pool.Rent(TimeSpan.FromSeconds(5)))
        {
            PoolStats busy = pool.Stats;
            Assert.Equal((3, 0, 3, 4), (busy.Total, busy.Idle, busy.Leased, busy.Max));
        }

        second.Dispose();
        PoolStats oneLeased = pool.Stats;
        Assert.Equal((3, 2, 1), (oneLeased.Total, oneLeased.Idle, oneLeased.Leased));

        Assert.True(pool.TryRent(out SizedSqlitePool.Lease fourth), "an idle connection was there to take");
        fourth.Dispose();
        held.Dispose();
        held.Dispose(); // a second dispose of the same lease is a counted no-op, never a second return

        PoolStats quiet = pool.Stats;
        _output.WriteLine(quiet.ToString());
        Assert.Equal(quiet.Total, quiet.Idle + quiet.Leased);
        Assert.Equal((3, 3, 0, 0, 0), (quiet.Total, quiet.Idle, quiet.Leased, quiet.Opening, quiet.Pending));
        Assert.Equal((3L, 4L, 0L, 1L), (quiet.Created, quiet.Rents, quiet.Closed, quiet.StaleDisposals));
    }

    [Fact]
    public void Lease_InvalidateThenDispose_ClosesThatConnectionInsteadOfReturningIt()
    {
        using var pool = new SizedSqlitePool(DatabaseFile, max: 2);

        SqliteConnection connection;
        using (SizedSqlitePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
            lease.Invalidate();
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        }

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        PoolStats stats = pool.Stats;
        Assert.Equal((0, 0, 1L, 1L, 0L), (stats.Total, stats.Leased, stats.Created, stats.Closed, stats.StaleDisposals));
        using SizedSqlitePool.Lease next = pool.Rent();
        Assert.NotSame(connection, next.Connection);
    }

    [Fact]
    public async Task RentAsync_WhenTheOnlyConnectionIsLeased_TimesOutWithPoolTimeoutException()
    {
        await using var pool = new SizedSqlitePool(DatabaseFile, max: 1, acquireTimeoutMs: 200);

        using SizedSqlitePool.Lease held = pool.Rent();
        PoolTimeoutException timeout = await Assert.ThrowsAsync<PoolTimeoutException>(async () => await pool.RentAsync());

        _output.WriteLine(timeout.Message);
        Assert.Equal((1, 1), (timeout.Max, timeout.Leased));
        Assert.InRange(timeout.Waited, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        Assert.False(pool.TryRent(out _));
        Assert.Equal(1, pool.Stats.Timeouts);
    }

    [Fact]
    public async Task RentAsync_CancelledWhileWaiting_ThrowsOperationCanceledAndLeavesNoWaiterBehind()
    {
        await using var pool = new SizedSqlitePool(DatabaseFile, max: 1);
        using SizedSqlitePool.Lease held = pool.Rent();

        using var cancel = new CancellationTokenSource();
        ValueTask<SizedSqlitePool.Lease> waiting = pool.RentAsync(cancel.Token);
        Assert.Equal(1, await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats.Pending), pending => pending == 1));
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Equal((0, 1L, 0L), (stats.Pending, stats.Cancellations, stats.Timeouts));
        Assert.Equal((1, 1), (stats.Total, stats.Leased));
    }

    [Fact]
    public async Task Resize_RaisingMaxWhileARentWaits_ServesTheWaiterWithANewConnection()
    {
        await using var pool = new SizedSqlitePool(DatabaseFile, max: 1);
        using SizedSqlitePool.Lease held = pool.Rent();

        ValueTask<SizedSqlitePool.Lease> waiting = pool.RentAsync();
        Assert.Equal(1, await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats.Pending), pending => pending == 1));

        pool.Resize(0, 2);

        using SizedSqlitePool.Lease served = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotSame(held.Connection, served.Connection);
        Assert.Equal(1L, Scalar(served.Connection, "SELECT 1;"));
        PoolStats stats = pool.Stats;
        Assert.Equal((2, 2, 0, 2), (stats.Total, stats.Leased, stats.Pending, stats.Max));
    }

    [Fact]
    public void Dispose_ClosesEveryIdleConnectionAndLaterRentsThrowObjectDisposed()
    {
        var pool = new SqlitePool(DatabaseFile);
        var connections = new List<SqliteConnection>();
        SqlitePool.Lease a = pool.Rent();
        SqlitePool.Lease b = pool.Rent();
        connections.Add(a.Connection);
        connections.Add(b.Connection);
        a.Dispose();
        b.Dispose();

        pool.Dispose();

        Assert.All(connections, c => Assert.Equal(System.Data.ConnectionState.Closed, c.State));
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public async Task DisposeAsync_WhileARentWaits_ReleasesTheWaiterWithObjectDisposed()
    {
        var pool = new SizedSqlitePool(DatabaseFile, max: 1);
        SizedSqlitePool.Lease held = pool.Rent();
        SqliteConnection heldConnection = held.Connection;
        ValueTask<SizedSqlitePool.Lease> waiting = pool.RentAsync();
        Assert.Equal(1, await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats.Pending), pending => pending == 1));

        Task disposing = pool.DisposeAsync().AsTask();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        held.Dispose();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Data.ConnectionState.Closed, heldConnection.State);
    }

    [Fact]
    public void TryRent_OnDisposedPool_ThrowsObjectDisposedLikeEveryOtherRent()
    {
        var pool = new SizedSqlitePool(DatabaseFile, max: 2);
        pool.Rent().Dispose(); // one idle connection, so a false return could not mean "nothing idle"

        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.TryRent(out _));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
