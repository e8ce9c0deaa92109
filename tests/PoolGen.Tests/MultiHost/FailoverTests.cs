using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

public sealed class FailoverTests
{
    private readonly FakeHost _primary = new("primary", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("standby", 5002, EndpointRole.Standby);

    [Fact]
    public async Task RentAsync_ReadWriteDuringAFailover_FailsFastThenReachesThePromotedStandby()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();
        await using (await pool.RentAsync(Workload.ReadWrite))
        {
        }

        FakeConnection oldPrimaryConnection = _primary.Database.Opened.Single();
        _primary.Down = true;

        // The gap: the primary is gone (its check fails) and nobody is promoted. A write fails at once, naming the failover.
        await pool.CheckHealthAsync();
        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<EndpointUnavailableException>(async () => await pool.RentAsync(Workload.ReadWrite));
        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1_000);
        Assert.Contains("If a failover is under way", error.Message);
        Assert.Contains("primary (primary, offline since", error.Message);
        Assert.Equal(PoolHealthStatus.Unhealthy, pool.GetHealth().Status);

        // Promotion: the next write rent has the endpoints rechecked and, within about FailureRecheckMs, finds the new primary.
        _standby.Role = EndpointRole.Primary;
        stopwatch.Restart();
        MultiHostLease<FakeConnection, FakeEndpointPool.Lease> write = default;
        await Eventually.True(() =>
        {
            try
            {
                write = pool.Rent(Workload.ReadWrite);
                return true;
            }
            catch (EndpointUnavailableException)
            {
                return false;
            }
        }, "a write rent succeeding after the promotion");
        using (write)
        {
            Assert.Equal((_standby.Endpoint, EndpointRole.Primary), (write.Endpoint, write.Role));
        }

        Assert.InRange(stopwatch.ElapsedMilliseconds, 0, 1_000);
        // The old primary's connections were closed when it went offline.
        Assert.Equal(1, oldPrimaryConnection.CloseCount);
    }

    [Fact]
    public async Task Check_WhenAHostChangesRole_ClosesItsConnections()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();
        FakeConnection standbyConnection = _standby.Database.Opened.Single();

        // Promoted: connections opened while it was a standby are closed, the host stays online with its new role.
        _standby.Role = EndpointRole.Primary;
        await pool.CheckHealthAsync();

        Assert.Equal(1, standbyConnection.CloseCount);
        Assert.Equal(EndpointRole.Primary, pool.StateOf(_standby.Endpoint).Role);
        Assert.True(pool.StateOf(_standby.Endpoint).IsOnline);
    }

    [Fact]
    public async Task Invalidate_HasTheEndpointRecheckedSoon()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();
        int checks = Volatile.Read(ref _primary.RoleChecks);

        await Task.Delay(100); // past FailureRecheckMs (50 ms), so the recheck is not rate-limited
        var lease = await pool.RentAsync(Workload.ReadWrite);
        _primary.Role = EndpointRole.Standby; // demoted behind the pool's back; the lease's query failed
        lease.Invalidate();
        lease.Dispose();

        await Eventually.True(() => pool.StateOf(_primary.Endpoint).Role == EndpointRole.Standby, "the demotion being noticed");
        Assert.True(Volatile.Read(ref _primary.RoleChecks) > checks);
    }

    [Fact]
    public async Task GetHealth_WithAnEndpointOffline_IsDegradedAndSaysWhich()
    {
        _standby.Down = true;
        await using var pool = new FakeCluster(_primary, _standby).CreatePool();
        await pool.WarmUpAsync();

        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Contains(health.Issues, i => i.StartsWith("Endpoint standby is offline: PoolConnectionException", StringComparison.Ordinal));
        Assert.Equal("fakes", health.Name);
        IReadOnlyList<EndpointStats> endpoints = pool.GetEndpointStats();
        Assert.Equal([true, false], endpoints.Select(e => e.IsOnline));
        Assert.Equal("fakes@primary", endpoints[0].Pool.Name);
    }
}
