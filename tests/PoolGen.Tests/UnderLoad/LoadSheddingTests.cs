using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.UnderLoad;

/// <summary>
/// An overloaded pool refuses rents at once instead of letting them wait out their timeout: beyond MaxPendingRents,
/// and, with ShedLoad, when the recent rate of hand-overs shows the deadline cannot be met, and only then.
/// </summary>
public sealed class LoadSheddingTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task BeyondMaxPendingRents_ARentIsRefusedAtOnce_WithTheNumbers()
    {
        await using var pool = OnePool(o => o.MaxPendingRents = 2);
        AsyncFakePool.Lease held = await pool.RentAsync();
        Task<AsyncFakePool.Lease> first = pool.RentAsync().AsTask();
        Task<AsyncFakePool.Lease> second = pool.RentAsync().AsTask();
        await Eventually.True(() => pool.Stats.Pending == 2);

        var refused = await Assert.ThrowsAsync<PoolOverloadedException>(() => pool.RentAsync().AsTask());
        var refusedSync = Assert.Throws<PoolOverloadedException>(() => pool.Rent());

        Assert.Equal((2, 2, 1), (refused.MaxPendingRents, refused.Pending, refused.Leased));
        Assert.Contains("Pool 'AsyncFakePool' refused a rent at once: 2 rents already wait, the most MaxPendingRents (2)", refused.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<PoolTimeoutException>(refusedSync);
        Assert.Equal((2L, 0L), (pool.Stats.Shed, pool.Stats.Timeouts));

        held.Dispose();
        (await first).Dispose();
        (await second).Dispose();
    }

    [Fact]
    public async Task WithShedLoad_ARentWhoseDeadlineIsOutOfReach_IsRefusedAtOnce_AndOneThatCanMakeItWaits()
    {
        await using var pool = OnePool(o => o.ShedLoad = true);
        await TeachRate(pool, perRentMs: 100);

        AsyncFakePool.Lease held = await pool.RentAsync();
        var queued = Queue(pool, 5);
        await Eventually.True(() => pool.Stats.Pending == 5);

        // Six rents ahead at 100 ms each: about 600 ms. A 300 ms deadline cannot be met; a 1 s one can.
        var refused = await Assert.ThrowsAsync<PoolOverloadedException>(
            () => pool.RentAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).AsTask());
        Task<AsyncFakePool.Lease> patient = pool.RentAsync(TimeSpan.FromSeconds(1), CancellationToken.None).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 6);

        Assert.Equal(5, refused.Ahead);
        Assert.Equal(100, refused.HandOffInterval.TotalMilliseconds, precision: 0);
        Assert.Equal(600, refused.ExpectedWait.TotalMilliseconds, precision: 0);
        Assert.Equal(300, refused.TimeLeft.TotalMilliseconds, precision: 0);
        Assert.Contains("would wait about 600 ms, past its deadline 300 ms away", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, pool.Stats.Shed);

        await DrainAsync(held, queued.Append(patient));
    }

    [Fact]
    public async Task WithShedLoad_TooFewRecentWaits_RefuseNothing()
    {
        await using var pool = OnePool(o => o.ShedLoad = true);
        await TeachRate(pool, perRentMs: 100, rents: 3);
        AsyncFakePool.Lease held = await pool.RentAsync();
        var queued = Queue(pool, 5);
        await Eventually.True(() => pool.Stats.Pending == 5);

        Task<AsyncFakePool.Lease> hopeful = pool.RentAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 6);

        Assert.Equal(0L, pool.Stats.Shed);
        await DrainAsync(held, queued.Append(hopeful));
    }

    [Fact]
    public async Task WithShedLoad_AnEstimateOlderThanTenSeconds_RefusesNothing()
    {
        await using var pool = OnePool(o => o.ShedLoad = true);
        await TeachRate(pool, perRentMs: 100);
        _time.Advance(TimeSpan.FromSeconds(11));
        AsyncFakePool.Lease held = await pool.RentAsync();
        Task<AsyncFakePool.Lease> first = pool.RentAsync(TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 1);

        Task<AsyncFakePool.Lease> hopeful = pool.RentAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 2);

        Assert.Equal(0L, pool.Stats.Shed);
        held.Dispose();
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await hopeful.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task WithShedLoad_OneWaitAfterAQuietSpell_DoesNotReviveTheOldEstimate()
    {
        await using var pool = OnePool(o => o.ShedLoad = true);
        await TeachRate(pool, perRentMs: 100);
        _time.Advance(TimeSpan.FromSeconds(11));
        await TeachRate(pool, perRentMs: 100, rents: 1);
        AsyncFakePool.Lease held = await pool.RentAsync();
        var queued = Queue(pool, 5);
        await Eventually.True(() => pool.Stats.Pending == 5);

        Task<AsyncFakePool.Lease> hopeful = pool.RentAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 6);

        Assert.Equal(0L, pool.Stats.Shed);
        await DrainAsync(held, queued.Append(hopeful));
    }

    /// <summary>Makes the pool see <paramref name="rents"/> waits of <paramref name="perRentMs"/> each, one rent ahead of none.</summary>
    private async Task TeachRate(AsyncFakePool pool, int perRentMs, int rents = LoadShedderSamples)
    {
        for (int i = 0; i < rents; i++)
        {
            AsyncFakePool.Lease held = await pool.RentAsync();
            Task<AsyncFakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
            await Eventually.True(() => pool.Stats.Pending == 1);
            _time.Advance(TimeSpan.FromMilliseconds(perRentMs));
            held.Dispose();
            (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        }
    }

    private const int LoadShedderSamples = LoadShedder.MinimumSamples;

    private AsyncFakePool OnePool(Action<PoolOptions> configure) =>
        new(new FakeDatabase(), o =>
        {
            o.Max = 1;
            o.TimeProvider = _time;
            o.ShutdownTimeoutMs = 0;
            configure(o);
        });

    // Rents queued behind a held lease, each patient enough to be served when the queue drains.
    private static List<Task<AsyncFakePool.Lease>> Queue(AsyncFakePool pool, int count) =>
        Enumerable.Range(0, count).Select(_ => pool.RentAsync(TimeSpan.FromSeconds(10), CancellationToken.None).AsTask()).ToList();

    // Returns the held lease, then every queued rent's lease as it is served.
    private static async Task DrainAsync(AsyncFakePool.Lease held, IEnumerable<Task<AsyncFakePool.Lease>> rents)
    {
        held.Dispose();
        foreach (Task<AsyncFakePool.Lease> rent in rents)
        {
            (await rent.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        }
    }
}
