using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>
/// A generated multi-host pool's rents: the fast route straight to an endpoint's engine (its turn, its metrics, its
/// refill when an endpoint leaves), and the router's slow path, whose quota and in-flight count the engine ends once.
/// </summary>
public sealed class GeneratedRoutingTests
{
    private readonly FakeHost _primary = new("db1", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("db2", 5002, EndpointRole.Standby);
    private readonly FakeHost _standby2 = new("db3", 5003, EndpointRole.Standby);

    [Fact]
    public async Task Rent_RoutesByWorkload_AndTheLeaseNamesItsEndpointAndRole()
    {
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby));
        await pool.WarmUpAsync();

        using (var write = pool.Rent(Workload.ReadWrite))
        {
            Assert.Equal((_primary.Endpoint, EndpointRole.Primary), (write.Endpoint, write.Role));
            Assert.Contains(write.Connection, _primary.Database.Opened);
        }

        await using (var read = await pool.RentAsync(Workload.ReadOnly))
        {
            Assert.Equal((_standby.Endpoint, EndpointRole.Standby), (read.Endpoint, read.Role));
            Assert.Contains(read.Connection, _standby.Database.Opened);
        }

        Assert.True(pool.TryRent(Workload.ReadWrite, out var tried));
        using (tried)
        {
            Assert.Equal(_primary.Endpoint, tried.Endpoint);
        }

        Assert.Equal(3, pool.Stats.Rents);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public async Task ReadOnly_OverSeveralStandbys_TakesEachInTurn(int count)
    {
        FakeHost[] standbys = [.. Enumerable.Range(0, count).Select(i => new FakeHost($"standby{i}", 6000 + i, EndpointRole.Standby))];
        await using var pool = new FakeReplicas(new FakeCluster([_primary, .. standbys]));
        await pool.WarmUpAsync();
        var served = new Dictionary<PoolEndpoint, int>();

        for (int i = 0; i < 300 * count; i++)
        {
            using var lease = pool.Rent(Workload.ReadOnly);
            served[lease.Endpoint] = served.GetValueOrDefault(lease.Endpoint) + 1;
        }

        Assert.Equal(count, served.Count);
        Assert.All(standbys, s => Assert.InRange(served[s.Endpoint], 295, 305));
    }

    [Fact]
    public async Task WithLeakTracking_AWarmRentIsReportedWithItsCaller()
    {
        // A warm pool has idle connections, which a fast route would lend without noting where the rent came from.
        var logger = new ListLogger();
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby), configurePool: o => { o.LeakThresholdMs = 100; o.Logger = logger; });
        await pool.WarmUpAsync();
        FakeReplicas.Lease held = RentAndHold(pool);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!logger.MessagesOf("LeakSuspected").Any() && waited.ElapsedMilliseconds < 5_000)
        {
            await Task.Delay(20);
        }

        string report = Assert.Single(logger.MessagesOf("LeakSuspected"));
        Assert.Contains(nameof(RentAndHold), report);
        held.Dispose();
    }

    [Fact]
    public async Task QuotaLease_DisposedTwiceThroughACopy_GivesItsQuotaBackOnce()
    {
        // Two endpoints of Max 4: 25 % of 8 is 2 Analytics leases at once.
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby), o => o.QuotaPercent[Workload.Analytics] = 25);
        var lease = pool.Rent(Workload.Analytics);
        var copy = lease;
        Assert.Equal(1, AnalyticsInUse(pool));

        lease.Dispose();
        copy.Dispose();
        await copy.DisposeAsync();
        Assert.Equal(0, AnalyticsInUse(pool));

        // The quota still allows two, not more: a second give-back would have let a third in.
        using var first = pool.Rent(Workload.Analytics);
        using var second = pool.Rent(Workload.Analytics);
        var error = Assert.Throws<WorkloadQuotaException>(() => pool.Rent(Workload.Analytics, TimeSpan.FromMilliseconds(50)));
        Assert.Equal(2, error.Limit);
    }

    [Fact]
    public async Task LeastConnections_CountsEachLeaseInFlightUntilItsReturn()
    {
        await using var pool = new FakeReplicas(
            new FakeCluster(_primary, _standby, _standby2), o => o.Balancer = new LeastConnectionsBalancer());
        await pool.WarmUpAsync();

        var leases = new[] { pool.Rent(Workload.ReadOnly), pool.Rent(Workload.ReadOnly), await pool.RentAsync(Workload.ReadOnly) };
        Assert.Equal(
            [1, 2],
            pool.GetEndpointStats().Where(e => e.Role == EndpointRole.Standby).Select(e => e.InFlight).Order());

        leases[0].Dispose();
        leases[0].Dispose();
        leases[1].Dispose();
        await leases[2].DisposeAsync();
        Assert.All(pool.GetEndpointStats(), e => Assert.Equal(0, e.InFlight));
    }

    [Fact]
    public async Task Invalidate_ClosesTheConnectionAndHasItsEndpointCheckedSoon()
    {
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby));
        await pool.WarmUpAsync();
        int checks = Volatile.Read(ref _primary.RoleChecks);
        await Task.Delay(100); // past FailureRecheckMs (50 ms), so the recheck is not rate-limited

        FakeConnection connection;
        using (var lease = pool.Rent(Workload.ReadWrite))
        {
            connection = lease.Connection;
            lease.Invalidate();
        }

        Assert.True(connection.IsDisposed);
        await Eventually.True(() => Volatile.Read(ref _primary.RoleChecks) > checks, "an invalidated lease has its endpoint rechecked");
    }

    [Fact]
    public async Task StandbyGoingDown_LeavesTheFastRoute_AndReadsFallBackToThePrimary()
    {
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby));
        await pool.WarmUpAsync();
        using (var read = pool.Rent(Workload.ReadOnly))
        {
            Assert.Equal(_standby.Endpoint, read.Endpoint);
        }

        _standby.Down = true;
        await Task.Delay(100); // past FailureRecheckMs (50 ms), so the recheck is not rate-limited
        using (var read = pool.Rent(Workload.ReadOnly))
        {
            // The standby's idle connection still serves: a down host is found by an open or a check, not by a rent.
            Assert.Equal(_standby.Endpoint, read.Endpoint);
            read.Invalidate();
        }

        await Eventually.True(
            () => !pool.GetEndpointStats().Single(e => e.Endpoint == _standby.Endpoint).IsOnline,
            "the recheck after Invalidate finds the standby down");
        for (int i = 0; i < 10; i++)
        {
            using var read = pool.Rent(Workload.ReadOnly);
            Assert.Equal(_primary.Endpoint, read.Endpoint);
        }
    }

    [Fact]
    public async Task FastRents_WithTheRentCounterListenedTo_AllocateNothingAndAreCounted()
    {
        using var factory = new TestMeterFactory();
        using var rents = new WorkloadRentCounter(factory);
        await using var pool = new FakeReplicas(new FakeCluster(_primary, _standby), configurePool: o => o.MeterFactory = factory);
        await pool.WarmUpAsync();
        pool.Rent(Workload.ReadWrite).Dispose();
        pool.Rent(Workload.ReadOnly).Dispose();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            pool.Rent(Workload.ReadWrite).Dispose();
            pool.Rent(Workload.ReadOnly).Dispose();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2_002, rents.Counted);
    }

    [Fact]
    public async Task Rent_AfterDispose_SaysThePoolWasDisposed()
    {
        var pool = new FakeReplicas(new FakeCluster(_primary, _standby));
        await pool.WarmUpAsync();
        pool.Rent(Workload.ReadWrite).Dispose();
        await pool.DisposeAsync();

        var error = Assert.Throws<ObjectDisposedException>(() => pool.Rent(Workload.ReadWrite));
        Assert.Contains("'replicas' has been disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => pool.TryRent(Workload.ReadOnly, out _));
    }

    private static int? AnalyticsInUse(FakeReplicas pool) =>
        pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).InUse;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static FakeReplicas.Lease RentAndHold(FakeReplicas pool) => pool.Rent(Workload.ReadOnly);
}
