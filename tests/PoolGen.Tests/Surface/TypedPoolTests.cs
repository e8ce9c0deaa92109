using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Surface;

/// <summary>
/// Code written once against <see cref="IConnectionPool{TConnection, TLease}"/> runs on a generated pool and on a
/// hand-written fake alike.
/// </summary>
public sealed class TypedPoolTests
{
    [Fact]
    public async Task Repository_OverAGeneratedPool_RentsAndReturns()
    {
        await using var pool = new FakePool(new FakeDatabase());
        var repository = new ConnectionIds<FakePool.Lease>(pool);

        Assert.Equal(1, await repository.CurrentIdAsync());
        Assert.Equal(1, repository.CurrentId());
        Assert.Equal((1, 0), (pool.Stats.Idle, pool.Stats.Leased));
    }

    [Fact]
    public async Task Repository_OverATestFake_RentsAndReturns()
    {
        var fake = new SingleConnectionPool(new FakeConnection(42));
        var repository = new ConnectionIds<SingleConnectionPool.Lease>(fake);

        Assert.Equal(42, await repository.CurrentIdAsync());
        Assert.Equal(42, repository.CurrentId());
        Assert.Equal(2, fake.Returns);
    }

    /// <summary>A repository: it knows the connection type, not the pool.</summary>
    private sealed class ConnectionIds<TLease>(IConnectionPool<FakeConnection, TLease> pool)
        where TLease : struct, IConnectionLease<FakeConnection>
    {
        public int CurrentId()
        {
            using TLease lease = pool.Rent();
            return lease.Connection.Id;
        }

        public async Task<int> CurrentIdAsync()
        {
            await using TLease lease = await pool.RentAsync();
            return lease.Connection.Id;
        }
    }

    /// <summary>A test fake: one connection, lent to one lease at a time, no engine.</summary>
    private sealed class SingleConnectionPool(FakeConnection connection) : IConnectionPool<FakeConnection, SingleConnectionPool.Lease>
    {
        private readonly FakeConnection _connection = connection;
        private int _leased;

        public int Returns;

        public string Name => "fake";

        public PoolStats Stats => default(PoolStats) with { Name = Name, Total = 1, Leased = _leased, Idle = 1 - _leased, Max = 1 };

        public Lease Rent() => TryRent(out Lease lease) ? lease : throw new PoolTimeoutException("fake", TimeSpan.Zero, 1, 1, 0, 0);

        public Lease Rent(TimeSpan timeout) => Rent();

        public ValueTask<Lease> RentAsync(CancellationToken cancellationToken = default) => new(Rent());

        public ValueTask<Lease> RentAsync(TimeSpan timeout, CancellationToken cancellationToken = default) => new(Rent());

        public bool TryRent(out Lease lease)
        {
            lease = Interlocked.Exchange(ref _leased, 1) == 0 ? new Lease(this) : default;
            return lease.IsActive;
        }

        public PoolHealth GetHealth() => throw new NotSupportedException();

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

        public readonly struct Lease(SingleConnectionPool pool) : IConnectionLease<FakeConnection>
        {
            public FakeConnection Connection => IsActive ? pool._connection : throw new ObjectDisposedException("lease");

            public bool IsActive => pool is not null && Volatile.Read(ref pool._leased) == 1;

            public void Invalidate()
            {
            }

            public void Dispose()
            {
                Interlocked.Increment(ref pool.Returns);
                Volatile.Write(ref pool._leased, 0);
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return default;
            }
        }
    }
}
