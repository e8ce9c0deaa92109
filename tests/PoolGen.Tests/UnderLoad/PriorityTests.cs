using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.UnderLoad;

/// <summary>
/// Waiting rents are served by priority, first in first out within one, and a low-priority rent is overtaken only by
/// higher ones that started less than PriorityAgingMs per level after it.
/// </summary>
public sealed class PriorityTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task WaitingRents_AreServedHighestPriorityFirst_AndInArrivalOrderWithinOne()
    {
        await using var pool = OnePool();
        AsyncFakePool.Lease held = await pool.RentAsync();
        var served = new List<string>();

        Task low = Take(pool, PoolPriority.Low, "low", served);
        Task normal1 = Take(pool, PoolPriority.Normal, "normal 1", served);
        Task critical = Take(pool, PoolPriority.Critical, "critical", served);
        Task normal2 = Take(pool, PoolPriority.Normal, "normal 2", served);
        Task high = Take(pool, PoolPriority.High, "high", served);
        await Eventually.True(() => pool.Stats.Pending == 5);

        held.Dispose();
        await Task.WhenAll(low, normal1, critical, normal2, high).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["critical", "high", "normal 1", "normal 2", "low"], served);
    }

    [Fact]
    public async Task ALowPriorityRent_IsOvertakenOnlyByHigherOnesThatStartedWithinTheAgingWindow()
    {
        await using var pool = OnePool(o => o.PriorityAgingMs = 1_000);
        AsyncFakePool.Lease held = await pool.RentAsync();
        var served = new List<string>();

        Task low = Take(pool, PoolPriority.Low, "low", served);
        await Eventually.True(() => pool.Stats.Pending == 1);

        // Two levels above Low: a High rent goes ahead only if it starts less than 2 s after the Low one.
        _time.Advance(TimeSpan.FromMilliseconds(1_500));
        Task highSoon = Take(pool, PoolPriority.High, "high after 1.5 s", served);
        await Eventually.True(() => pool.Stats.Pending == 2);
        _time.Advance(TimeSpan.FromMilliseconds(1_000));
        Task highLate = Take(pool, PoolPriority.High, "high after 2.5 s", served);
        await Eventually.True(() => pool.Stats.Pending == 3);

        held.Dispose();
        await Task.WhenAll(low, highSoon, highLate).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["high after 1.5 s", "low", "high after 2.5 s"], served);
    }

    [Fact]
    public async Task WithAgingOff_PrioritiesAreIgnoredAndWaitersAreServedInArrivalOrder()
    {
        await using var pool = OnePool(o => o.PriorityAgingMs = 0);
        AsyncFakePool.Lease held = await pool.RentAsync();
        var served = new List<string>();

        Task low = Take(pool, PoolPriority.Low, "low", served);
        Task critical = Take(pool, PoolPriority.Critical, "critical", served);
        await Eventually.True(() => pool.Stats.Pending == 2);

        held.Dispose();
        await Task.WhenAll(low, critical).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["low", "critical"], served);
    }

    [Fact]
    public async Task ASynchronousRentWithPriority_OvertakesQueuedNormalRents()
    {
        await using var pool = OnePool();
        AsyncFakePool.Lease held = await pool.RentAsync();
        var served = new List<string>();

        Task normal = Take(pool, PoolPriority.Normal, "normal", served);
        await Eventually.True(() => pool.Stats.Pending == 1);
        Task high = Task.Run(() =>
        {
            using AsyncFakePool.Lease lease = pool.Rent(PoolPriority.High);
            lock (served)
            {
                served.Add("sync high");
            }
        });
        await Eventually.True(() => pool.Stats.Pending == 2);

        held.Dispose();
        await Task.WhenAll(normal, high).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["sync high", "normal"], served);
    }

    [Fact]
    public async Task ARentWithPriority_WhenAConnectionIsIdle_IsServedAtOnceAndAllocatesNothingMore()
    {
        await using var pool = OnePool();
        (await pool.RentAsync(PoolPriority.Low)).Dispose();

        using AsyncFakePool.Lease lease = pool.Rent(PoolPriority.Critical);

        Assert.Equal((1, 0L), (pool.Stats.Leased, pool.Stats.Waits));
    }

    private AsyncFakePool OnePool(Action<PoolOptions>? configure = null) =>
        new(new FakeDatabase(), o =>
        {
            o.Max = 1;
            o.TimeProvider = _time;
            o.ShutdownTimeoutMs = 0;
            configure?.Invoke(o);
        });

    // Each served rent records itself and hands its connection on at once, so the order of the list is the order served.
    private static async Task Take(AsyncFakePool pool, PoolPriority priority, string name, List<string> served)
    {
        await using AsyncFakePool.Lease lease = await pool.RentAsync(Timeout.InfiniteTimeSpan, priority);
        lock (served)
        {
            served.Add(name);
        }
    }
}
