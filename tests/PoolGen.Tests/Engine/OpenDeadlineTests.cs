using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>A rent's deadline bounds the open made for it, whatever the factory does.</summary>
public sealed class OpenDeadlineTests
{
    private static readonly TimeSpan RentTimeout = TimeSpan.FromMilliseconds(200);

    // Far below the time the gated factories take (they return only when the test lets them, the last one after 3 s),
    // far above 200 ms: a full parallel run of this suite on 2 cores once took 1.1 s to run the timed-out continuation.
    private const int WithinMs = 2_000;

    [Fact]
    public async Task Rent_WhenTheSynchronousFactoryBlocks_TimesOutAtItsDeadlineAndTheConnectionJoinsThePoolWhenItComes()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        using var pool = new FakePool(database, o => o.Max = 1);
        try
        {
            (PoolTimeoutException error, long elapsedMs) = await RentTimingOut(pool);

            Assert.True(error.OpenInProgress, error.Message);
            Assert.InRange(elapsedMs, 0, WithinMs);
            Assert.Equal((0, 1), (pool.Stats.Total, pool.Stats.Opening));
        }
        finally
        {
            database.Gate.TrySetResult();
        }

        await Eventually.True(() => pool.Stats is { Idle: 1, Total: 1, Opening: 0 }, "the late connection is idle");
        using FakePool.Lease lease = pool.Rent();
        Assert.Same(database.Opened.Single(), lease.Connection);
        Assert.Equal(1, database.OpenCount);
    }

    [Fact]
    public async Task Rent_WhenTheSynchronousFactoryBlocksAndThePoolIsDisposedMeanwhile_ClosesTheLateConnection()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        var pool = new FakePool(database, o => o.Max = 1);
        try
        {
            (PoolTimeoutException error, _) = await RentTimingOut(pool);
            Assert.True(error.OpenInProgress, error.Message);
            pool.Dispose();
        }
        finally
        {
            database.Gate.TrySetResult();
        }

        await Eventually.True(() => database.OpenCount == 1 && database.Opened.Single().CloseCount == 1, "the late connection is closed");
        Assert.Equal((0, 0, 0), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Opening));
    }

    [Fact]
    public async Task RentAsync_WhenTheAsynchronousFactoryIgnoresItsToken_TimesOutAtItsDeadlineAndTheConnectionJoinsThePoolWhenItComes()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource(), IgnoresCancellation = true };
        await using var pool = new AsyncFakePool(database, o => o.Max = 1);
        try
        {
            (PoolTimeoutException error, long elapsedMs) = await RentAsyncTimingOut(pool);

            Assert.True(error.OpenInProgress, error.Message);
            Assert.InRange(elapsedMs, 0, WithinMs);
            Assert.Equal((0, 1), (pool.Stats.Total, pool.Stats.Opening));
        }
        finally
        {
            database.Gate.TrySetResult();
        }

        await Eventually.True(() => pool.Stats is { Idle: 1, Total: 1, Opening: 0 }, "the late connection is idle");
        await using AsyncFakePool.Lease lease = await pool.RentAsync();
        Assert.Same(database.Opened.Single(), lease.Connection);
    }

    [Fact]
    public async Task RentAsync_WhenTheAsynchronousFactoryIgnoresItsTokenAndMaxIsLoweredMeanwhile_ClosesTheLateConnection()
    {
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database, o => o.Max = 2);
        await using AsyncFakePool.Lease held = await pool.RentAsync();
        FakeConnection heldConnection = held.Connection;
        database.Gate = new TaskCompletionSource();
        database.IgnoresCancellation = true;
        try
        {
            (PoolTimeoutException error, _) = await RentAsyncTimingOut(pool);
            Assert.True(error.OpenInProgress, error.Message);
            pool.Resize(0, 1);
        }
        finally
        {
            database.Gate.TrySetResult();
        }

        await Eventually.True(() => database.OpenCount == 2 && pool.Stats.Opening == 0, "the late open ended");
        FakeConnection late = database.Opened.Single(c => c != heldConnection);
        await Eventually.True(() => late.CloseCount == 1, "the late connection is closed");
        Assert.Equal((1, 0, 1), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased));
    }

    [Fact]
    public async Task RentAsync_WhenTheAsynchronousFactoryHonoursItsToken_TimesOutAtItsDeadlineAndGivesTheRoomBackAtOnce()
    {
        var database = new FakeDatabase { Gate = new TaskCompletionSource() };
        await using var pool = new AsyncFakePool(database, o => o.Max = 1);

        // A rent that ignored its deadline gets its connection when the gate opens after 3 s, and fails the test instead
        // of hanging it.
        using var release = new Timer(_ => database.Gate.TrySetResult(), null, 3_000, Timeout.Infinite);
        var clock = Stopwatch.StartNew();

        // The counts are read on the thread that ends the rent, the moment it ends it.
        (Exception? error, PoolStats stats, long elapsedMs) = await pool.RentAsync(RentTimeout).AsTask().ContinueWith(
            rent => (rent.Exception?.InnerException, pool.Stats, clock.ElapsedMilliseconds),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsType<PoolTimeoutException>(error);
        Assert.InRange(elapsedMs, 0, WithinMs);
        Assert.Equal((0, 0), (stats.Total, stats.Opening));
        database.Gate.TrySetResult();

        // The canceled open made nothing, and its room serves the next rent.
        await using AsyncFakePool.Lease lease = await pool.RentAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, database.OpenCount);
    }

    [Fact]
    public async Task Rent_WithZeroAcquireTimeout_StillOpensAConnectionAndRetriesAFailedOpen()
    {
        var database = new FakeDatabase { TransientFailures = 1 };
        using var pool = new FakePool(database, o => { o.AcquireTimeoutMs = 0; o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        using FakePool.Lease lease = await Task.Run(() => pool.Rent()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(lease.Connection);
        Assert.Equal((1L, 1L, 1), (pool.Stats.Created, pool.Stats.CreateFailures, pool.Stats.Total));
    }

    [Fact]
    public async Task RentAsync_WithZeroAcquireTimeout_StillOpensAConnectionAndRetriesAFailedOpen()
    {
        var database = new FakeDatabase { TransientFailures = 1 };
        await using var pool = new AsyncFakePool(database, o => { o.AcquireTimeoutMs = 0; o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        await using AsyncFakePool.Lease lease = await pool.RentAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(lease.Connection);
        Assert.Equal((1L, 1L, 1), (pool.Stats.Created, pool.Stats.CreateFailures, pool.Stats.Total));
    }

    /// <summary>Rents on another thread, so a rent that blocks for good fails the test instead of hanging it.</summary>
    private static async Task<(PoolTimeoutException Error, long ElapsedMs)> RentTimingOut(FakePool pool)
    {
        Task<(PoolTimeoutException, long)> renting = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            var error = Assert.Throws<PoolTimeoutException>(() => pool.Rent(RentTimeout));
            return (error, clock.ElapsedMilliseconds);
        });
        return await renting.WaitAsync(TimeSpan.FromSeconds(3));
    }

    private static async Task<(PoolTimeoutException Error, long ElapsedMs)> RentAsyncTimingOut(AsyncFakePool pool)
    {
        var clock = Stopwatch.StartNew();
        Task<AsyncFakePool.Lease> renting = pool.RentAsync(RentTimeout).AsTask();
        var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => renting.WaitAsync(TimeSpan.FromSeconds(3)));
        return (error, clock.ElapsedMilliseconds);
    }
}
