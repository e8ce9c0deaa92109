using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class DatabaseDownTests
{
    [Fact]
    public async Task Waiters_WhenOpensFailAndNoConnectionIsOpen_AllFailWithTheOpenErrorAtOnce()
    {
        var database = new FakeDatabase { FailWith = new TimeoutException("the database is down") };
        await using var pool = new AsyncFakePool(database, o =>
        {
            o.Max = 2;
            o.MaxRetryAttempts = 1;
            o.RetryDelayMs = 20;
            o.AcquireTimeoutMs = 60_000;
        });

        // Two rents open connections themselves; eight queue behind them, and only opens could ever serve them.
        Task[] rents = Enumerable.Range(0, 10).Select(_ => pool.RentAsync().AsTask()).ToArray();
        foreach (Task rent in rents)
        {
            await Assert.ThrowsAsync<PoolConnectionException>(() => rent.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // Serving the eight one open cycle each would have taken 2 + 8 cycles of two attempts; the first failed open
        // for a waiter fails them all instead.
        PoolStats stats = pool.Stats;
        Assert.InRange(stats.CreateFailures, 4, 12);
        await Eventually.True(() => pool.Stats is { Total: 0, Opening: 0, Pending: 0 }, "counts back to zero");
    }

    [Fact]
    public async Task Waiters_WhenOpensFailButConnectionsAreLeased_KeepWaitingForReturns()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => { o.Max = 2; o.MaxRetryAttempts = 0; o.AcquireTimeoutMs = 60_000; });
        AsyncFakePool.Lease held = await pool.RentAsync();
        database.FailWith = new TimeoutException("the database is down");

        Task<AsyncFakePool.Lease> first = pool.RentAsync().AsTask();
        await Assert.ThrowsAsync<PoolConnectionException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        pool.Resize(0, 1);
        Task<AsyncFakePool.Lease> second = pool.RentAsync().AsTask();
        await Eventually.True(() => pool.Stats.Pending == 1, "the second rent waits for the held connection");

        await held.DisposeAsync();
        await using AsyncFakePool.Lease served = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(served.IsActive);
    }
}
