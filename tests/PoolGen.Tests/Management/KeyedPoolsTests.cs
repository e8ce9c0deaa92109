using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Management;

/// <summary>
/// <see cref="KeyedPools{TKey, TPool, TConnection, TLease}"/>: one pool per key on first use, bounded, idle pools evicted
/// and disposed gracefully, never under a lease or a rent in flight.
/// </summary>
public sealed class KeyedPoolsTests
{
    private readonly FakeDatabase _database = new();

    [Fact]
    public async Task Rent_WithTheSameKey_SharesOnePool_AndEachKeyGetsItsOwn()
    {
        await using var pools = Create();

        await using (AsyncFakePool.Lease a = await pools.RentAsync("a"))
        {
            await using AsyncFakePool.Lease again = await pools.RentAsync("a");
            using AsyncFakePool.Lease b = pools.Rent("b");
            Assert.NotSame(a.Connection, again.Connection);
        }

        Assert.Equal(2, pools.Count);
        Assert.Equal(2, pools.PoolsCreated);
        Assert.Equal(new[] { "AsyncFakePool[a]", "AsyncFakePool[b]" }, pools.GetStats().Select(s => s.Name).Order());
        PoolStats a1 = pools.GetStats().Single(s => s.Name == "AsyncFakePool[a]");
        Assert.Equal(2, a1.Idle);
        Assert.Equal(2, a1.Rents);
    }

    [Fact]
    public async Task PoolNames_HideAConnectionStringsPassword()
    {
        const string Key = "Host=db.internal;Username=app;Password=s3cr3t;Database=orders";
        await using var pools = Create(new KeyedPoolsOptions { Name = "tenants" });

        await using (await pools.RentAsync(Key))
        {
        }

        string name = Assert.Single(pools.GetPools()).Name;
        Assert.DoesNotContain("s3cr3t", name, StringComparison.Ordinal);
        Assert.StartsWith("tenants[", name, StringComparison.Ordinal);
        Assert.Contains("***", name, StringComparison.Ordinal);
        Assert.Contains("db.internal", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Server=x;Pwd=hunter2", "hunter2")]
    [InlineData("Server=x;password='a;b'", "a;b")]
    [InlineData("Endpoint=sb://x/;SharedAccessKey=abc123", "abc123")]
    [InlineData("Server=x;Password=\"unbalanced", "unbalanced")]
    public void Describe_HidesEverySecretKey(string key, string secret)
    {
        string described = PoolKeys.Describe(key);

        Assert.DoesNotContain(secret, described, StringComparison.Ordinal);
        Assert.Contains("***", described, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_LeavesOtherKeysAsTheyAre()
    {
        Assert.Equal("tenant-42", PoolKeys.Describe("tenant-42"));
        Assert.Equal("Data Source=app.db;Pooling=False", PoolKeys.Describe("Data Source=app.db;Pooling=False"));
        Assert.Equal("7", PoolKeys.Describe(7));
    }

    [Fact]
    public async Task Rent_ForANewKeyWhenFull_EvictsTheLeastRecentlyUsedIdlePool()
    {
        var time = new FakeTimeProvider();
        await using var pools = Create(new KeyedPoolsOptions { MaxPools = 2, IdleTimeoutMs = 0, TimeProvider = time });
        using (pools.Rent("old"))
        {
        }

        time.Advance(TimeSpan.FromSeconds(1));
        using (pools.Rent("recent"))
        {
        }

        using (pools.Rent("new"))
        {
        }

        Assert.False(pools.Contains("old"));
        Assert.True(pools.Contains("recent"));
        Assert.True(pools.Contains("new"));
        Assert.Equal(1, pools.PoolsEvicted);
        await Eventually.True(() => _database.Opened.Count(c => c.IsDisposed) == 1, "the evicted pool's connection to be closed");
    }

    [Fact]
    public async Task Rent_ForANewKeyWhenEveryPoolHasALeaseOut_ThrowsNamingTheSetAndMaxPools()
    {
        await using var pools = Create(new KeyedPoolsOptions { Name = "shards", MaxPools = 2 });
        using AsyncFakePool.Lease one = pools.Rent("one");
        using AsyncFakePool.Lease two = pools.Rent("two");

        var error = Assert.Throws<InvalidOperationException>(() => pools.Rent("three"));

        Assert.Contains("Keyed pools 'shards'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPools is 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'three'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, pools.Count);
    }

    [Fact]
    public async Task EvictIdle_DisposesPoolsUnusedForTheIdleTimeout_ButNotOneWithALeaseOut()
    {
        var time = new FakeTimeProvider();
        await using var pools = Create(new KeyedPoolsOptions { IdleTimeoutMs = 60_000, EvictionIntervalMs = 1_000_000, TimeProvider = time });
        using (pools.Rent("idle"))
        {
        }

        AsyncFakePool.Lease held = pools.Rent("held");
        FakeConnection heldConnection = held.Connection;
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, pools.EvictIdle());

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, pools.EvictIdle());

        Assert.False(pools.Contains("idle"));
        Assert.True(pools.Contains("held"));
        Assert.False(heldConnection.IsDisposed);

        // Once the lease is back, the pool is unused, and the next pass evicts it.
        held.Dispose();
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(1, pools.EvictIdle());
        await Eventually.True(() => _database.Opened.All(c => c.IsDisposed), "every evicted pool's connections to be closed");
        Assert.All(_database.Opened, c => Assert.Equal(1, c.CloseCount));
    }

    [Fact]
    public async Task TheTimer_EvictsIdlePools()
    {
        var time = new FakeTimeProvider();
        await using var pools = Create(new KeyedPoolsOptions { IdleTimeoutMs = 10_000, EvictionIntervalMs = 5_000, TimeProvider = time });
        using (pools.Rent("a"))
        {
        }

        time.Advance(TimeSpan.FromSeconds(15));

        Assert.False(pools.Contains("a"));
        Assert.Equal(1, pools.PoolsEvicted);
    }

    [Fact]
    public async Task EvictionUnderLoad_NeverFailsARent_NeverLendsAConnectionTwice_AndClosesEverything()
    {
        const int Workers = 6;
        const int Keys = 12;
        var pools = Create(new KeyedPoolsOptions { MaxPools = 8, IdleTimeoutMs = 1, EvictionIntervalMs = 1 });
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        int doubleLends = 0, closedUnderALease = 0, rents = 0, maxCount = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        Task[] workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    string key = $"tenant-{random.Next(Keys)}";
                    await using AsyncFakePool.Lease lease = await pools.RentAsync(key);
                    if (lease.Connection.Enter() != 1)
                    {
                        Interlocked.Increment(ref doubleLends);
                    }

                    if (random.Next(4) == 0)
                    {
                        await Task.Yield();
                    }

                    // An eviction while the lease is out would show here: the connection closed under its user.
                    if (lease.Connection.IsDisposed)
                    {
                        Interlocked.Increment(ref closedUnderALease);
                    }

                    lease.Connection.Exit();
                    Interlocked.Increment(ref rents);
                    int count = pools.Count;
                    int seen;
                    while ((seen = Volatile.Read(ref maxCount)) < count && Interlocked.CompareExchange(ref maxCount, count, seen) != seen)
                    {
                    }
                }
                catch (Exception error)
                {
                    errors.Enqueue(error);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await pools.DisposeAsync();

        Assert.Empty(errors);
        Assert.Equal(0, doubleLends);
        Assert.Equal(0, closedUnderALease);
        Assert.True(rents > 1_000, $"only {rents} rents in 3 s");
        Assert.True(pools.PoolsEvicted > 10, $"only {pools.PoolsEvicted} evictions in {rents} rents");
        Assert.True(maxCount <= 8, $"{maxCount} pools held at once, MaxPools is 8");
        Assert.All(_database.Opened, c => Assert.Equal(1, c.CloseCount));
        Assert.Throws<ObjectDisposedException>(() => pools.Rent("tenant-0"));
    }

    [Fact]
    public async Task Dispose_WaitsForLeasesOutWithinTheirShutdownTimeout()
    {
        var pools = Create(configure: (_, options) => options.ShutdownTimeoutMs = 10_000);
        AsyncFakePool.Lease lease = await pools.RentAsync("a");
        FakeConnection connection = lease.Connection;

        ValueTask disposing = pools.DisposeAsync();
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted);
        Assert.False(connection.IsDisposed);

        await lease.DisposeAsync();
        await disposing;
        Assert.True(connection.IsDisposed);
    }

    [Fact]
    public void Constructor_RejectsOutOfRangeSettings()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Create(new KeyedPoolsOptions { Name = "bad", MaxPools = 0 }));

        Assert.Contains("Keyed pools 'bad': MaxPools is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rent_WhenTheFactoryReturnsAPoolAlreadyInUse_SaysSo()
    {
        var shared = new AsyncFakePool(_database);
        _ = shared.Stats;
        await using var pools = new KeyedPools<string, AsyncFakePool, FakeConnection, AsyncFakePool.Lease>(_ => shared);

        var error = Assert.Throws<InvalidOperationException>(() => pools.Rent("a"));

        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("new instance for each key", error.Message, StringComparison.Ordinal);
        await shared.DisposeAsync();
    }

    private KeyedPools<string, AsyncFakePool, FakeConnection, AsyncFakePool.Lease> Create(
        KeyedPoolsOptions? options = null, Action<string, PoolOptions>? configure = null) =>
        new(_ => new AsyncFakePool(_database), options, configure);
}
