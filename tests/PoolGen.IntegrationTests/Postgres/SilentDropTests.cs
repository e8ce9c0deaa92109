using System.Diagnostics;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A firewall or NAT that drops idle flows gives no error: queries on such a connection simply never answer. These
/// tests put a relay between the pool and PostgreSQL that can go silent, and check that validation bounded by
/// ValidationTimeoutMs finds such connections and replaces them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SilentDropTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-drop-{Guid.NewGuid():N}";

    public SilentDropTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task IdleConnectionsSilentlyDropped_AreFoundByMaintenanceAndReplaced()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using BlackholeProxy proxy = StartProxy(out string connectionString);
        await using var pool = new DroppedNetworkPool(connectionString);
        await pool.WarmUpAsync(timeout.Token);
        int[] dropped = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(2, dropped.Length);

        Assert.Equal(2, proxy.SilenceExisting());

        // Each dead connection costs one validation timeout (0.5 s) in a pass every 0.5 s; allow for a busy machine.
        PoolStats replaced = await Eventually.WaitForAsync(
            () => Task.FromResult(pool.Stats), s => s is { ValidationFailures: >= 2, Idle: 2, Created: >= 4 }, TimeSpan.FromSeconds(30));
        Assert.True(replaced is { ValidationFailures: >= 2, Idle: 2, Created: >= 4 }, $"both silent connections closed and replaced: {replaced}");
        var clock = Stopwatch.StartNew();
        await using (DroppedNetworkPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            int pid = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
            Assert.DoesNotContain(pid, dropped);
        }

        _output.WriteLine($"rent after the drop took {clock.ElapsedMilliseconds} ms; stats {pool.Stats}");
        Assert.True(pool.GetHealth().IsHealthy, pool.GetHealth().ToString());
    }

    [Fact]
    public async Task ARentThatFindsASilentlyDroppedConnection_GetsAnotherWithinTheValidationTimeout()
    {
        using var timeout = new CancellationTokenSource(TestLimit);
        await using BlackholeProxy proxy = StartProxy(out string connectionString);
        await using var pool = new RentValidatedPool(connectionString);
        int droppedPid;
        await using (RentValidatedPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            droppedPid = await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token);
        }

        proxy.SilenceExisting();
        var clock = Stopwatch.StartNew();
        await using (RentValidatedPool.Lease lease = await pool.RentAsync(timeout.Token))
        {
            clock.Stop();
            Assert.NotEqual(droppedPid, await PostgresProbe.BackendPidAsync(lease.Connection, timeout.Token));
        }

        // 0.5 s of validation, then an open; without the bound the rent would hang for as long as TCP keeps the flow.
        _output.WriteLine($"rent took {clock.ElapsedMilliseconds} ms");
        Assert.InRange(clock.ElapsedMilliseconds, 450, 10_000);
        Assert.Equal(1L, pool.Stats.ValidationFailures);
    }

    private BlackholeProxy StartProxy(out string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app));
        var proxy = new BlackholeProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = proxy.Port;

        // Npgsql's own keepalive and cancellation would eventually break a silent connection too; the pool must not rely on it.
        target.CancellationTimeout = -1;
        connectionString = target.ConnectionString;
        return proxy;
    }
}
