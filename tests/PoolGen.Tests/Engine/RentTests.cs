using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class RentTests
{
    [Fact]
    public void Rent_WhenPoolIsEmpty_OpensAConnection()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database);

        using (FakePool.Lease lease = pool.Rent())
        {
            Assert.Equal(1, lease.Connection.Id);
            Assert.True(lease.IsActive);
        }

        PoolStats stats = pool.Stats;
        Assert.Equal(1, database.OpenCount);
        Assert.Equal((1, 1, 0, 1L, 1L), (stats.Total, stats.Idle, stats.Leased, stats.Created, stats.Rents));
    }

    [Fact]
    public void Rent_WhenAConnectionIsIdle_ReusesItWithoutOpening()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database);
        FakeConnection first;
        using (FakePool.Lease lease = pool.Rent())
        {
            first = lease.Connection;
        }

        using (FakePool.Lease again = pool.Rent())
        {
            Assert.Same(first, again.Connection);
        }

        Assert.Equal(1, database.OpenCount);
        Assert.Equal(2, pool.Stats.Rents);
    }

    [Fact]
    public void Rent_WhenTwoAreIdle_TakesTheLowestSlotSoColdConnectionsAgeOut()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database);
        FakePool.Lease a = pool.Rent();
        FakePool.Lease b = pool.Rent();
        FakeConnection warm = a.Connection;
        b.Dispose();
        a.Dispose();

        for (int i = 0; i < 3; i++)
        {
            using FakePool.Lease lease = pool.Rent();
            Assert.Same(warm, lease.Connection);
        }
    }

    [Fact]
    public void Rent_WhenPoolIsExhausted_TimesOutWithPoolNameAndNumbers()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        using FakePool.Lease held = pool.Rent();

        var error = Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.FromMilliseconds(50)));

        Assert.Equal("FakePool", error.PoolName);
        Assert.Equal(1, error.Max);
        Assert.Equal(1, error.Leased);
        Assert.True(error.Waited >= TimeSpan.FromMilliseconds(40), $"waited only {error.Waited}");
        Assert.Contains("Pool 'FakePool'", error.Message);
        Assert.Contains("1 of Max 1 leased", error.Message);
        Assert.Contains("POOL101", error.Message);
        Assert.Equal(1, pool.Stats.Timeouts);
        Assert.Equal(0, pool.Stats.Pending);
    }

    [Fact]
    public async Task RentAsync_WhenPoolIsExhausted_TimesOutAfterTheGivenTimeout()
    {
        await using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        await using FakePool.Lease held = await pool.RentAsync();

        var error = await Assert.ThrowsAsync<PoolTimeoutException>(async () => await pool.RentAsync(TimeSpan.FromMilliseconds(50)));

        Assert.Equal(1, error.Leased);
        PoolStats stats = pool.Stats;
        Assert.Equal((1L, 0, 1), (stats.Timeouts, stats.Pending, stats.Total));
    }

    [Fact]
    public void Rent_WithZeroTimeout_FailsAtOnceWhenNothingIsFree()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        using FakePool.Lease held = pool.Rent();

        Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.Zero));
        Assert.Equal(0, pool.Stats.Waits);
    }

    [Fact]
    public void Rent_WithNegativeTimeout_ThrowsWithPoolName()
    {
        using var pool = new FakePool(new FakeDatabase());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TimeSpan.FromMilliseconds(-5)));
        Assert.Contains("FakePool", error.Message);
    }

    [Fact]
    public async Task Rent_WhenAConnectionIsReturned_WakesASynchronousWaiter()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        FakePool.Lease held = pool.Rent();
        FakeConnection connection = held.Connection;

        Task<int> waiter = Task.Run(() =>
        {
            using FakePool.Lease lease = pool.Rent(TimeSpan.FromSeconds(10));
            return lease.Connection.Id;
        });
        await Eventually.True(() => pool.Stats.Pending == 1);
        held.Dispose();

        Assert.Equal(connection.Id, await waiter.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, pool.Stats.Waits);
    }

    [Fact]
    public async Task RentAsync_WaitersAreServedFirstInFirstOut()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => o.Max = 1);
        ArrivalOrder order = new();
        AsyncFakePool.Lease held = await pool.RentAsync();

        var waiters = new List<Task>();
        for (int i = 0; i < 5; i++)
        {
            int position = i;
            waiters.Add(Task.Run(async () =>
            {
                await using AsyncFakePool.Lease lease = await pool.RentAsync(TimeSpan.FromSeconds(10));
                order.Add(position);
            }));

            // Queue them one by one so their arrival order is known.
            await Eventually.True(() => pool.Stats.Pending == position + 1);
        }

        await held.DisposeAsync();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order.ToArray());
    }

    [Fact]
    public async Task RentAsync_ReusingAWaiterWhoseTimerIsSetForAnEarlierRent_TimesOutAtItsOwnDeadline()
    {
        var time = new FakeTimeProvider();
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.Max = 1; });
        AsyncFakePool.Lease held = await pool.RentAsync();

        // A first wait (timeout 1 s) is served at once: its waiter's timer stays set for 1 s.
        ValueTask<AsyncFakePool.Lease> first = pool.RentAsync(TimeSpan.FromSeconds(1));
        await held.DisposeAsync();
        held = await first;

        // The same waiter serves a wait with a 5 s timeout: the stale 1 s firing must neither end it nor be its only timer.
        Task<AsyncFakePool.Lease> second = pool.RentAsync(TimeSpan.FromSeconds(5)).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(20);
        Assert.False(second.IsCompleted, "the earlier rent's timer timed out the later rent");

        time.Advance(TimeSpan.FromSeconds(4));
        var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), error.Waited);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task RentAsync_ReusingAWaiterWhoseTimerIsSetForALaterDeadline_StillTimesOutOnTime()
    {
        var time = new FakeTimeProvider();
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.TimeProvider = time; o.Max = 1; });
        AsyncFakePool.Lease held = await pool.RentAsync();

        ValueTask<AsyncFakePool.Lease> first = pool.RentAsync(TimeSpan.FromSeconds(30));
        await held.DisposeAsync();
        held = await first;

        Task<AsyncFakePool.Lease> second = pool.RentAsync(TimeSpan.FromMilliseconds(100)).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<PoolTimeoutException>(() => second.WaitAsync(TimeSpan.FromSeconds(5)));
        await held.DisposeAsync();
    }

    [Fact]
    public async Task RentAsync_WhenCanceledWhileWaiting_ThrowsAndLeavesCountsIntact()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => o.Max = 1);
        AsyncFakePool.Lease held = await pool.RentAsync();
        PoolStats before = pool.Stats;
        using var cancellation = new CancellationTokenSource();

        ValueTask<AsyncFakePool.Lease> waiting = pool.RentAsync(cancellation.Token);
        await Eventually.True(() => pool.Stats.Pending == 1);
        cancellation.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        PoolStats after = pool.Stats;
        Assert.Equal((before.Total, before.Leased, before.Idle, 0), (after.Total, after.Leased, after.Idle, after.Pending));
        Assert.Equal(1, after.Cancellations);

        // The connection is still the held lease's, and comes back as usual.
        await held.DisposeAsync();
        Assert.Equal(1, pool.Stats.Idle);
    }

    [Fact]
    public async Task RentAsync_WithAlreadyCanceledToken_ThrowsWithoutTakingAConnection()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase());
        await pool.WarmUpAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.RentAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, pool.Stats.Leased);
    }

    [Fact]
    public async Task RentAsync_WithAsyncFactory_OpensThroughIt()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        await using var pool = new AsyncFakePool(database);

        ValueTask<AsyncFakePool.Lease> renting = pool.RentAsync();
        Assert.False(renting.IsCompleted);
        Assert.Equal(1, pool.Stats.Opening);
        database.Gate.SetResult();
        await using AsyncFakePool.Lease lease = await renting;

        Assert.Equal(1, lease.Connection.Id);
        Assert.Equal((0, 1), (pool.Stats.Opening, pool.Stats.Total));
    }

    [Fact]
    public void TryRent_WhenNothingIsIdle_ReturnsFalseWithoutOpening()
    {
        var database = new FakeDatabase();
        using var pool = new FakePool(database);

        Assert.False(pool.TryRent(out FakePool.Lease lease));
        Assert.False(lease.IsActive);
        Assert.Equal(0, database.OpenCount);
    }

    [Fact]
    public void TryRent_WhenAConnectionIsIdle_TakesIt()
    {
        using var pool = new FakePool(new FakeDatabase());
        pool.Rent().Dispose();

        Assert.True(pool.TryRent(out FakePool.Lease lease));
        using (lease)
        {
            Assert.Equal(1, lease.Connection.Id);
        }
    }

    [Fact]
    public async Task TryRent_WhenRentsAreWaiting_LeavesConnectionsToThem()
    {
        await using var pool = new FakePool(new FakeDatabase(), o => o.Max = 1);
        FakePool.Lease held = pool.Rent();
        ValueTask<FakePool.Lease> waiting = pool.RentAsync();
        await Eventually.True(() => pool.Stats.Pending == 1);

        Assert.False(pool.TryRent(out _));
        held.Dispose();
        await using FakePool.Lease served = await waiting;
        Assert.True(served.IsActive);
    }

    [Fact]
    public void Rent_WhenEveryOpenFails_ThrowsPoolConnectionExceptionAfterTheRetriesAndGivesTheRoomBack()
    {
        var database = new FakeDatabase { FailWith = new InvalidOperationException("database is down") };
        using var pool = new FakePool(database, o => { o.Max = 1; o.MaxRetryAttempts = 2; o.RetryDelayMs = 1; });

        var error = Assert.Throws<PoolConnectionException>(() => pool.Rent());

        Assert.Equal(("FakePool", 3), (error.PoolName, error.Attempts));
        Assert.Equal("database is down", error.InnerException!.Message);
        Assert.Contains("Pool 'FakePool' could not open a connection: 3 attempts failed", error.Message);
        Assert.Contains("InvalidOperationException: database is down", error.Message);
        Assert.Equal((0, 0, 3L), (pool.Stats.Total, pool.Stats.Opening, pool.Stats.CreateFailures));

        database.FailWith = null;
        using FakePool.Lease lease = pool.Rent();
        Assert.True(lease.IsActive);
    }

    [Fact]
    public async Task RentAsync_WhenOpensFailTransiently_RetriesWithBackOffAndSucceeds()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase { TransientFailures = 2 };
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.RetryDelayMs = 100; });

        Task<AsyncFakePool.Lease> renting = pool.RentAsync().AsTask();

        // The retries run on the thread pool after each back-off, so advance the clock in small steps until the rent
        // completes: it cannot before 100 ms + 200 ms of back-off (doubling after each failure) have passed.
        TimeSpan advanced = TimeSpan.Zero;
        while (!renting.IsCompleted && advanced < TimeSpan.FromSeconds(10))
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            advanced += TimeSpan.FromMilliseconds(10);
            await Task.Delay(1);
        }

        await using AsyncFakePool.Lease lease = await renting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(advanced >= TimeSpan.FromMilliseconds(300), $"completed after only {advanced.TotalMilliseconds} ms of back-off");

        Assert.True(lease.IsActive);
        Assert.Equal((2L, 1L, 1), (pool.Stats.CreateFailures, pool.Stats.Created, pool.Stats.Total));
    }

    [Fact]
    public void Rent_WhenRetriesWouldOutlastTheTimeout_GivesUpAtTheDeadline()
    {
        var database = new FakeDatabase { FailWith = new InvalidOperationException("database is down") };
        using var pool = new FakePool(database, o => { o.MaxRetryAttempts = 10; o.RetryDelayMs = 200; });

        var error = Assert.Throws<PoolConnectionException>(() => pool.Rent(TimeSpan.FromMilliseconds(1_000)));

        // 200 + 400 ms of back-off fit in 1 s, with room for a slow machine; the next wait (800 ms) would not, so the
        // third failure is the last.
        Assert.Equal(3, error.Attempts);
        Assert.True(error.Elapsed < TimeSpan.FromMilliseconds(1_000), $"retried for {error.Elapsed}");
    }

    [Fact]
    public async Task RentAsync_WhenCanceledDuringBackOff_StopsRetryingAndGivesTheRoomBack()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase { FailWith = new InvalidOperationException("database is down") };
        await using var pool = new AsyncFakePool(database, o => { o.TimeProvider = time; o.RetryDelayMs = 1_000; });
        using var cancellation = new CancellationTokenSource();

        ValueTask<AsyncFakePool.Lease> renting = pool.RentAsync(cancellation.Token);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await renting);
        Assert.Equal((0, 0, 1L), (pool.Stats.Total, pool.Stats.Opening, pool.Stats.CreateFailures));
    }

    [Fact]
    public async Task RentAsync_WhenAnOpenForWaitersFails_TheOldestWaiterGetsTheErrorAtOnce()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.Max = 1; o.RetryDelayMs = 1; });
        AsyncFakePool.Lease held = await pool.RentAsync();
        ValueTask<AsyncFakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(30));
        await Eventually.True(() => pool.Stats.Pending == 1);

        // Closing the held connection makes room; the pool opens a new one for the waiter, and that open fails.
        database.FailWith = new InvalidOperationException("database is down");
        held.Invalidate();
        held.Dispose();

        var error = await Assert.ThrowsAsync<PoolConnectionException>(async () => await waiting).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("database is down", error.InnerException!.Message);

        // The waiter is failed before the open gives its room back (so the room is not handed to another open as
        // doomed), and its continuation may run first on another thread.
        await Eventually.True(() => (pool.Stats.Total, pool.Stats.Pending, pool.Stats.Opening) == (0, 0, 0));
    }

    private sealed class ArrivalOrder
    {
        private readonly List<int> _items = new();

        public void Add(int item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public int[] ToArray()
        {
            lock (_items)
            {
                return _items.ToArray();
            }
        }
    }
}
