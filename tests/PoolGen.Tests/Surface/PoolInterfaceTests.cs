using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Surface;

/// <summary>What <see cref="IConnectionPool"/> gives code that knows nothing of a pool's types.</summary>
public sealed class PoolInterfaceTests
{
    [Fact]
    public void GeneratedPool_IsAnIConnectionPoolOfItsConnectionAndLease()
    {
        using var pool = new FakePool(new FakeDatabase());

        Assert.IsAssignableFrom<IConnectionPool<FakeConnection, FakePool.Lease>>(pool);
        Assert.IsAssignableFrom<IConnectionLease<FakeConnection>>(default(FakePool.Lease));
    }

    [Fact]
    public void Name_IsTheOneConfigurePoolSets()
    {
        using var named = new FakePool(new FakeDatabase(), o => o.Name = "orders");
        using var plain = new FakePool(new FakeDatabase());

        Assert.Equal("orders", ((IConnectionPool)named).Name);
        Assert.Equal("FakePool", ((IConnectionPool)plain).Name);
    }

    [Fact]
    public async Task Members_ReachThePool()
    {
        IConnectionPool pool = new FakePool(new FakeDatabase(), o => o.Min = 1);

        await pool.WarmUpAsync();
        Assert.Equal(1, pool.Stats.Idle);
        Assert.True(pool.GetHealth().IsHealthy);
        Assert.True((await pool.CheckHealthAsync()).IsHealthy);

        pool.Resize(0, 1);
        Assert.Equal((0, 1), (pool.Stats.Min, pool.Stats.Max));
        pool.Clear();
        Assert.Equal(0, pool.Stats.Total);

        await pool.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => ((FakePool)pool).Rent());
    }

    [Fact]
    public void Dispose_OfAClassWithDisposeMembersOfItsOwn_ClosesThePoolOnly()
    {
        var owner = new OwningPool(new FakeDatabase());
        ((IConnectionPool)owner).Dispose();

        Assert.Throws<ObjectDisposedException>(() => owner.Rent());
        Assert.False(owner.Disposed);
    }
}

/// <summary>A pool class with a Dispose of its own: the generated members are DisposePool and DisposePoolAsync.</summary>
[ConnectionPool(Max = 1)]
public sealed partial class OwningPool : IDisposable
{
    private readonly FakeDatabase _database;

    public OwningPool(FakeDatabase database) => _database = database;

    public bool Disposed { get; private set; }

    public void Dispose()
    {
        Disposed = true;
        DisposePool();
    }

    private FakeConnection Create() => _database.Open();
}
