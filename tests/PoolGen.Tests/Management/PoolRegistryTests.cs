using System.Runtime.CompilerServices;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Management;

/// <summary>
/// <see cref="PoolRegistry"/>: generated pools join the default registry when created and leave it when disposed or
/// collected. Other tests create pools too, so these look for their own pools rather than count all of them.
/// </summary>
public sealed class PoolRegistryTests
{
    [Fact]
    public void Default_ListsAPoolOnceItIsCreatedAndNotAfterItIsDisposed()
    {
        string name = Unique("listed");
        var pool = new FakePool(new FakeDatabase(), options => options.Name = name);
        Assert.DoesNotContain(pool, PoolRegistry.Default.GetPools());

        _ = pool.Stats;
        Assert.Contains(pool, PoolRegistry.Default.GetPools());
        Assert.Same(pool, PoolRegistry.Default.Find(name));
        Assert.Contains(name, PoolRegistry.Default.GetNames());

        pool.Dispose();
        Assert.DoesNotContain(pool, PoolRegistry.Default.GetPools());
        Assert.Null(PoolRegistry.Default.Find(name));
    }

    [Fact]
    public async Task Default_DropsAPoolWhenItIsDisposedAsynchronously()
    {
        var pool = new AsyncFakePool(new FakeDatabase());
        await pool.WarmUpAsync();
        Assert.Contains(pool, PoolRegistry.Default.GetPools());

        await pool.DisposeAsync();

        Assert.DoesNotContain(pool, PoolRegistry.Default.GetPools());
    }

    [Fact]
    public async Task Registry_HoldsPoolsWeakly_ACollectedPoolDropsOut()
    {
        var registry = new PoolRegistry();
        var kept = new NamedPool("kept");
        registry.Add(kept);
        WeakReference dropped = AddAndForget(registry, "dropped");

        await Eventually.True(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !dropped.IsAlive;
            },
            "the pool only the registry references to be collected");

        Assert.Equal(new[] { "kept" }, registry.GetNames());
        GC.KeepAlive(kept);
    }

    [Fact]
    public async Task Registry_ReadsStatsAndHealthOfEveryPool_AndClearsThemAll()
    {
        var registry = new PoolRegistry();
        var database = new FakeDatabase();
        await using var first = new FakePool(database, options => options.Name = Unique("first"));
        await using var second = new AsyncFakePool(database, options => options.Name = Unique("second"));
        registry.Add(first);
        registry.Add(second);
        registry.Add(first);
        using (FakePool.Lease lease = first.Rent())
        {
            first.Rent().Dispose();
            Assert.Equal(2, registry.Count);
            IReadOnlyList<PoolStats> stats = registry.GetStats();
            Assert.Equal(new[] { first.Stats.Name, second.Stats.Name }, stats.Select(s => s.Name));
            Assert.Equal(1, stats[0].Leased);
            Assert.Equal(1, stats[0].Idle);
            Assert.All(registry.GetHealth(), health => Assert.Equal(PoolHealthStatus.Healthy, health.Status));

            Assert.Equal(2, registry.ClearAll());

            // Clear closes the idle connection now; the leased one is closed when it comes back.
            Assert.Equal(0, first.Stats.Idle);
            Assert.Equal(1, first.Stats.Leased);
        }

        Assert.Equal(0, first.Stats.Total);
        Assert.Equal(2, database.Opened.Count(c => c.IsDisposed));
    }

    [Fact]
    public async Task Registry_CheckHealthAsync_ProbesEveryPool()
    {
        var registry = new PoolRegistry();
        var database = new FakeDatabase();
        await using var pool = new AsyncFakePool(database);
        registry.Add(pool);

        IReadOnlyList<PoolHealth> health = await registry.CheckHealthAsync();

        Assert.Equal(PoolHealthStatus.Healthy, Assert.Single(health).Status);
        Assert.Equal(1, database.OpenCount); // the probe opened a connection: the pool had none idle
    }

    [Fact]
    public void Registry_Remove_ReportsWhetherThePoolWasThere()
    {
        var registry = new PoolRegistry();
        using var pool = new FakePool(new FakeDatabase());
        registry.Add(pool);

        Assert.True(registry.Remove(pool));
        Assert.False(registry.Remove(pool));
        Assert.Empty(registry.GetPools());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AddAndForget(PoolRegistry registry, string name)
    {
        var pool = new NamedPool(name);
        registry.Add(pool);
        Assert.Same(pool, registry.Find(name));
        return new WeakReference(pool);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A pool written by hand against <see cref="IConnectionPool"/>: the registry only needs its name here.</summary>
    private sealed class NamedPool(string name) : IConnectionPool
    {
        public string Name { get; } = name;

        public PoolStats Stats => new(Name, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        public PoolHealth GetHealth() => new(PoolHealthStatus.Healthy, Array.Empty<string>(), Stats, null, TimeSpan.Zero, 0, null, null);

        public ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => new(GetHealth());

        public ValueTask WarmUpAsync(CancellationToken cancellationToken = default) => default;

        public void Clear()
        {
        }

        public void Resize(int min, int max)
        {
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => default;
    }
}
