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
    public async Task Default_HoldsPoolsWeakly_ACollectedPoolDropsOut()
    {
        string name = Unique("collected");
        WeakReference pool = CreateAndUse(name);

        await Eventually.True(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !pool.IsAlive;
            },
            "the pool to be collected while the registry lists it");

        Assert.Null(PoolRegistry.Default.Find(name));
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
    private static WeakReference CreateAndUse(string name)
    {
        var pool = new FakePool(new FakeDatabase(), options => options.Name = name);
        using (pool.Rent())
        {
        }

        Assert.Same(pool, PoolRegistry.Default.Find(name));
        return new WeakReference(pool);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
