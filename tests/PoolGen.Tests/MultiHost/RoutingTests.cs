using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

public sealed class RoutingTests
{
    private readonly FakeHost _primary = new("primary", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("standby", 5002, EndpointRole.Standby);

    [Fact]
    public async Task RentAsync_ReadWriteGoesToThePrimaryAndReadOnlyToTheStandby()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        // Every role known first: until the standby's first check ends, a read may fall back to the primary.
        await pool.WarmUpAsync();

        await using (var write = await pool.RentAsync(Workload.ReadWrite))
        await using (var read = await pool.RentAsync(Workload.ReadOnly))
        {
            Assert.Equal((_primary.Endpoint, EndpointRole.Primary), (write.Endpoint, write.Role));
            Assert.Equal((_standby.Endpoint, EndpointRole.Standby), (read.Endpoint, read.Role));
            Assert.Contains(write.Connection, _primary.Database.Opened);
            Assert.Contains(read.Connection, _standby.Database.Opened);
        }

        // A rent that names no workload is a ReadWrite one by default: it works on every pool.
        using var unnamed = pool.Rent();
        Assert.Equal(_primary.Endpoint, unnamed.Endpoint);

        // The whole pool's rents are its users'; each endpoint's own stats also count the role checks made on it.
        Assert.Equal(3, pool.Stats.Rents);
        Assert.Equal(3 + _primary.RoleChecks + _standby.RoleChecks, pool.GetEndpointStats().Sum(e => e.Pool.Rents));
    }

    [Fact]
    public async Task RentAsync_ReadOnlyWithNoStandbyOnline_FallsBackToThePrimary()
    {
        _standby.Down = true;
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();

        await using var read = await pool.RentAsync(Workload.ReadOnly);

        Assert.Equal(_primary.Endpoint, read.Endpoint);
    }

    [Fact]
    public async Task RentAsync_StandbyOnlyWithNoStandbyOnline_FailsFastNamingThePoolAndEveryEndpoint()
    {
        _standby.Down = true;
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o =>
        {
            o.Route(Workload.ReadOnly, TargetRole.Standby);
            o.AcquireTimeoutMs = 10_000;
        });
        await pool.WarmUpAsync(); // both checked: the standby is known to be down

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<EndpointUnavailableException>(async () => await pool.RentAsync(Workload.ReadOnly));

        // At once, not after the 10 s acquire timeout (the bound leaves room for a loaded machine).
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1_000);
        Assert.Equal(("fakes", Workload.ReadOnly, TargetRole.Standby), (error.PoolName, error.Workload, error.Target));
        Assert.Contains("Multi-host pool 'fakes' has no endpoint online for a ReadOnly rent", error.Message);
        Assert.Contains("primary (primary, online)", error.Message);
        Assert.Contains("standby (role unknown, offline since", error.Message);
        Assert.Contains("connection refused", error.Message);
        Assert.Contains("TargetRole.PreferStandby", error.Message);
    }

    [Fact]
    public async Task RentAsync_OnFirstUse_WaitsForTheFirstChecksButNotForAHangingHost()
    {
        var hanging = new FakeHost("hanging", 5003, EndpointRole.Standby) { Hangs = true };
        await using var pool = new FakeCluster(hanging, _standby, _primary).CreatePool(o => o.CheckTimeoutMs = 5_000);

        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++)
        {
            await using var read = await pool.RentAsync(Workload.ReadOnly);
            Assert.NotEqual(hanging.Endpoint, read.Endpoint);
        }

        // The hanging host's check goes on in the background for its 5 s; twenty rents took nothing like it.
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 2_000);
        Assert.False(pool.StateOf(hanging.Endpoint).IsOnline);
    }

    [Fact]
    public async Task RentAsync_WhenAnOnlineEndpointCannotOpen_TakesItOfflineAndServesFromAnother()
    {
        var second = new FakeHost("standby2", 5004, EndpointRole.Standby);
        await using var pool = new FakeCluster(_primary, _standby, second).CreatePool();
        await pool.WarmUpAsync(); // each standby now has one idle connection, the one its role check used
        _standby.Down = true;

        // Four leases held at once: the first standby can lend its idle connection, but a second one needs an open,
        // which fails; that rent goes to the other standby instead of failing.
        var leases = new List<MultiHostLease<FakeConnection, FakeEndpointPool.Lease>>();
        for (int i = 0; i < 4; i++)
        {
            leases.Add(await pool.RentAsync(Workload.ReadOnly));
        }

        Assert.InRange(leases.Count(l => l.Endpoint == _standby.Endpoint), 0, 1);
        EndpointState state = pool.StateOf(_standby.Endpoint);
        Assert.False(state.IsOnline);
        Assert.Contains("connection refused", state.LastError);
        Assert.InRange(leases.Count(l => l.Endpoint == second.Endpoint), 3, 4);
        leases.ForEach(l => l.Dispose());

        // Back up: a check brings it back into rotation without a rent having to fail.
        _standby.Down = false;
        await pool.CheckHealthAsync();
        Assert.True(pool.StateOf(_standby.Endpoint).IsOnline);
    }

    [Fact]
    public async Task TryRent_RoutesLikeRentAndReturnsFalseWithoutWaitingOrOpening()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync(); // the standby's role check left one idle connection

        Assert.True(pool.TryRent(Workload.ReadOnly, out var lease));
        using (lease)
        {
            Assert.Equal(_standby.Endpoint, lease.Endpoint);
            Assert.False(pool.TryRent(Workload.ReadOnly, out _)); // nothing else idle there, and TryRent does not open
        }

        Assert.Equal(1, _standby.Database.OpenCount);
    }

    [Fact]
    public async Task Dispose_TwiceOrOnACopy_ReturnsOnceAndCountsTheEndpointOnce()
    {
        // Least-connections has the pool count leases in flight, so a double count would show.
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o => o.Balancer = new LeastConnectionsBalancer());
        await pool.WarmUpAsync();
        var lease = await pool.RentAsync(Workload.ReadOnly);
        var copy = lease;
        Assert.Equal(1, pool.StateOf(_standby.Endpoint).InFlight);

        lease.Dispose();
        copy.Dispose();
        await lease.DisposeAsync();

        Assert.Equal(0, pool.StateOf(_standby.Endpoint).InFlight);
        Assert.Equal(1, pool.PoolOf(_standby.Endpoint).Stats.Idle);
        Assert.Throws<ObjectDisposedException>(() => lease.Connection);
    }

    [Fact]
    public async Task Rent_AfterDispose_ThrowsObjectDisposedNamingThePool()
    {
        var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.DisposeAsync();

        var error = Assert.Throws<ObjectDisposedException>(() => pool.Rent(Workload.ReadOnly));
        Assert.Contains("Multi-host pool 'fakes' has been disposed", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_WaitsForRunningChecksBeforeClosingTheEndpointPools()
    {
        // A role check that hangs until its 300 ms timeout; idle connections let it start without an open.
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();
        _standby.Hangs = true;
        _ = pool.CheckHealthAsync(); // starts the checks and does not wait for them
        await Fakes.Eventually.True(() => Volatile.Read(ref _standby.RoleChecksRunning) == 1, "the standby's check running");

        await pool.DisposeAsync();

        // Nothing still talks to a server through a pool that is gone.
        Assert.Equal(0, Volatile.Read(ref _standby.RoleChecksRunning));
    }

    [Fact]
    public async Task Rent_Synchronously_RoutesAndFallsBackLikeRentAsync()
    {
        _standby.Down = true;
        using var pool = new FakeCluster(_primary, _standby).CreatePool();

        using var read = pool.Rent(Workload.ReadOnly);

        Assert.Equal(_primary.Endpoint, read.Endpoint);
    }
}
