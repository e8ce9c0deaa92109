using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>A workload's quota holds under saturation on real servers, and keeps the other workloads' rents quick.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class QuotaOnReplicasTests
{
    private readonly ReplicaSet _set;
    private readonly ITestOutputHelper _output;

    public QuotaOnReplicasTests(ReplicaFixture fixture, ITestOutputHelper output)
    {
        _set = fixture.Set;
        _output = output;
    }

    [Fact]
    public async Task AnalyticsQuota_UnderSaturation_HoldsAndLeavesTheStandbysToReads()
    {
        // Three endpoints of Max 4: 25 % of 12 is 3 Analytics leases at once. Both go to the standbys (8 connections).
        await using var pool = ReplicaPools.Create(
            "quota", _set.Nodes.Select(n => n.Endpoint), o => o.QuotaPercent[Workload.Analytics] = 25);
        await pool.WarmUpAsync();
        await OpenEveryConnectionAsync(pool); // the reads below time waiting, not backends being forked on a busy machine
        int analyticsNow = 0, analyticsMost = 0;
        using var stop = new CancellationTokenSource();

        // Twelve report queries of half a second each, back to back: without the quota they would hold all eight
        // standby connections and every read would wait for one to finish.
        Task[] reports = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var lease = await pool.RentAsync(Workload.Analytics);
                int now = Interlocked.Increment(ref analyticsNow);
                InterlockedMax(ref analyticsMost, now);
                await using var command = new NpgsqlCommand("SELECT pg_sleep(0.5)", lease.Connection);
                await command.ExecuteNonQueryAsync();
                Interlocked.Decrement(ref analyticsNow);
            }
        })).ToArray();

        await Task.Delay(300); // the reports have taken their quota
        var readMs = new List<long>();
        for (int i = 0; i < 30; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await using var read = await pool.RentAsync(Workload.ReadOnly);
            readMs.Add(stopwatch.ElapsedMilliseconds);
            Assert.True((await ReplicaPools.WhereAsync(read.Connection)).InRecovery);
        }

        WorkloadStats analytics = pool.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics);
        stop.Cancel();
        await Task.WhenAll(reports);

        _output.WriteLine($"analytics: quota {analytics.QuotaLimit}, most held at once {analyticsMost}; reads took up to {readMs.Max()} ms (median {readMs.Order().ElementAt(readMs.Count / 2)} ms)");
        Assert.Equal(3, analytics.QuotaLimit);
        Assert.Equal(3, analyticsMost);
        // A read that had to wait for a report would take up to 500 ms.
        Assert.All(readMs, ms => Assert.InRange(ms, 0, 250));
    }

    private async Task OpenEveryConnectionAsync(MultiHostPool<NpgsqlConnection, ReplicaEndpointDb.Lease> pool)
    {
        foreach (ReplicaNode node in _set.Nodes)
        {
            IConnectionPool<NpgsqlConnection, ReplicaEndpointDb.Lease> endpointPool = pool.PoolOf(node.Endpoint);
            var leases = new List<ReplicaEndpointDb.Lease>();
            for (int i = 0; i < endpointPool.Stats.Max; i++)
            {
                leases.Add(await endpointPool.RentAsync());
            }

            leases.ForEach(l => l.Dispose());
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
