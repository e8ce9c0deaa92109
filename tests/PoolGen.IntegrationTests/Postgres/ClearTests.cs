using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary><c>Clear()</c> while connections are busy: each is closed when its lease comes back, never before.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClearTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-clear-{Guid.NewGuid():N}";

    public ClearTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Clear_WithThreeBusyConnections_ClosesEachBackendOnlyWhenItsLeaseIsDisposed()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new FaultPool(_cluster.ConnectionStringFor(_app));

        FaultPool.Lease[] busy = new FaultPool.Lease[3];
        int[] busyPids = new int[3];
        for (int i = 0; i < busy.Length; i++)
        {
            busy[i] = await pool.RentAsync(limit.Token);
            busyPids[i] = await PostgresProbe.BackendPidAsync(busy[i].Connection, limit.Token);
        }

        int idlePid;
        await using (FaultPool.Lease idle = await pool.RentAsync(limit.Token))
        {
            idlePid = await PostgresProbe.BackendPidAsync(idle.Connection, limit.Token);
        }

        pool.Clear();

        // Clear closes the idle connection before it returns; its backend exits a moment later.
        Assert.Equal((3, 0, 3, 1L), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased, pool.Stats.Closed));
        int[] afterClear = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => !pids.Contains(idlePid));
        Assert.Equal(busyPids.Order(), afterClear);

        // Nothing closes a busy connection later either: it keeps working for its lease holder.
        await Task.Delay(500, limit.Token);
        for (int i = 0; i < busy.Length; i++)
        {
            Assert.True(busy[i].IsActive);
            Assert.Equal(busyPids[i], await PostgresProbe.BackendPidAsync(busy[i].Connection, limit.Token));
        }

        Assert.Equal(busyPids.Order(), await _cluster.BackendPidsAsync(_app));

        // Each way of ending a lease closes its connection: Dispose, DisposeAsync, and Invalidate then Dispose.
        busy[0].Dispose();
        await AssertOnlyTheseRemainAsync(busyPids[1..]);
        Assert.Equal((2, 2, 2L), (pool.Stats.Total, pool.Stats.Leased, pool.Stats.Closed));

        await busy[1].DisposeAsync();
        await AssertOnlyTheseRemainAsync(busyPids[2..]);
        Assert.Equal((1, 1, 3L), (pool.Stats.Total, pool.Stats.Leased, pool.Stats.Closed));

        busy[2].Invalidate();
        busy[2].Dispose();
        await AssertOnlyTheseRemainAsync([]);

        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Equal((0, 0, 0, 4L, 4L), (stats.Total, stats.Idle, stats.Leased, stats.Created, stats.Closed));
        Assert.Equal(0L, stats.StaleDisposals);

        await using FaultPool.Lease next = await pool.RentAsync(limit.Token);
        int nextPid = await PostgresProbe.BackendPidAsync(next.Connection, limit.Token);
        Assert.DoesNotContain(nextPid, busyPids.Append(idlePid));
    }

    [Fact]
    public async Task Clear_WithAWaiterPending_TheReturnedOldConnectionIsClosedAndTheWaiterGetsANewOne()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new FaultPool(_cluster.ConnectionStringFor(_app));

        // Max = 4: four busy leases, and a fifth rent waits.
        FaultPool.Lease[] busy = new FaultPool.Lease[4];
        int[] busyPids = new int[4];
        for (int i = 0; i < busy.Length; i++)
        {
            busy[i] = await pool.RentAsync(limit.Token);
            busyPids[i] = await PostgresProbe.BackendPidAsync(busy[i].Connection, limit.Token);
        }

        Task<int> waiter = Task.Run(async () =>
        {
            await using FaultPool.Lease lease = await pool.RentAsync(limit.Token);
            return await PostgresProbe.BackendPidAsync(lease.Connection, limit.Token);
        });
        Assert.Equal(1, (await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.Pending == 1)).Pending);

        pool.Clear();
        Assert.Equal((4, 4, 0L), (pool.Stats.Total, pool.Stats.Leased, pool.Stats.Closed));
        Assert.False(waiter.IsCompleted, "Clear must not hand a connection of the old generation to the waiter");

        await busy[0].DisposeAsync();
        int servedPid = await waiter.WaitAsync(TimeSpan.FromSeconds(15), limit.Token);

        _output.WriteLine($"busy {string.Join(",", busyPids)}, waiter served by {servedPid}; {pool.Stats}");
        Assert.DoesNotContain(servedPid, busyPids);
        int[] live = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => !pids.Contains(busyPids[0]));
        Assert.Equal(busyPids[1..].Append(servedPid).Order(), live);

        for (int i = 1; i < busy.Length; i++)
        {
            await busy[i].DisposeAsync();
        }

        Assert.Equal([servedPid], await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 1));
        PoolStats stats = pool.Stats;
        Assert.Equal((1, 1, 0, 0), (stats.Total, stats.Idle, stats.Leased, stats.Pending));
        Assert.Equal((5L, 4L), (stats.Created, stats.Closed));
    }

    private async Task AssertOnlyTheseRemainAsync(int[] expected)
    {
        int[] live = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == expected.Length);
        Assert.Equal(expected.Order(), live);
    }
}
