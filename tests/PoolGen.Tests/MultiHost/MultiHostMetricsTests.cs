using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>
/// The whole multi-host pool's instruments, read by a real MeterListener: endpoints online by role, rents by workload
/// and endpoint, failures by workload and error, quota use; none after the pool is disposed.
/// </summary>
public sealed class MultiHostMetricsTests
{
    [Fact]
    public async Task Instruments_ReportEndpointsRentsFailuresAndQuotasTaggedWithThePoolName()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MetricRecorder(factory);
        var primary = new FakeHost("db1", 5001, EndpointRole.Primary);
        var standby = new FakeHost("db2", 5002, EndpointRole.Standby);
        var cluster = new FakeCluster(primary, standby);
        var pool = cluster.CreatePool(o =>
        {
            o.MeterFactory = factory;
            o.QuotaPercent[Workload.Analytics] = 25; // 2 of the two endpoints' 8
        });
        await pool.WarmUpAsync();

        for (int i = 0; i < 2; i++)
        {
            using var write = pool.Rent(Workload.ReadWrite);
        }

        for (int i = 0; i < 3; i++)
        {
            await using var read = await pool.RentAsync(Workload.ReadOnly);
        }

        using (var report1 = pool.Rent(Workload.Analytics))
        using (var report2 = pool.Rent(Workload.Analytics))
        {
            Assert.Equal(2, recorder.ObserveOne("poolgen.workload.quota.used", "poolgen.workload", "Analytics"));
            await Assert.ThrowsAsync<WorkloadQuotaException>(async () => await pool.RentAsync(Workload.Analytics, TimeSpan.FromMilliseconds(20)));
        }

        // One instrumentation scope for all of PoolGen: the whole pool's meter has the endpoint pools' name and version.
        string? version = typeof(PoolOptions).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(("PoolGen", version), (recorder.Instruments["poolgen.workload.rents"].Meter.Name, recorder.Instruments["poolgen.workload.rents"].Meter.Version));

        var online = recorder.Observe("poolgen.endpoint.online");
        Assert.Equal(
            ["db1 primary 1 fakes", "db2 standby 1 fakes"],
            online.Select(m => $"{m.Tags["poolgen.endpoint"]} {m.Tags["poolgen.endpoint.role"]} {m.Value} {m.Tags["db.client.connection.pool.name"]}").Order());
        Assert.Equal(0, recorder.ObserveOne("poolgen.workload.quota.used", "poolgen.workload", "Analytics"));

        var rents = recorder.RecordedTags("poolgen.workload.rents")
            .GroupBy(t => $"{t["poolgen.workload"]}@{t["poolgen.endpoint"]}")
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["ReadWrite@db1"] = 2, ["ReadOnly@db2"] = 3, ["Analytics@db2"] = 2 }, rents);
        var failure = Assert.Single(recorder.RecordedTags("poolgen.workload.failures"));
        Assert.Equal(("Analytics", "PoolGen.WorkloadQuotaException"), (failure["poolgen.workload"], failure["error.type"]));

        // An endpoint out of rotation reads 0.
        standby.Down = true;
        await pool.CheckHealthAsync();
        Assert.Equal(0, recorder.ObserveOne("poolgen.endpoint.online", "poolgen.endpoint", "db2"));

        await pool.DisposeAsync();
        Assert.Empty(recorder.Observe("poolgen.endpoint.online"));
    }

    [Fact]
    public async Task RoutedRents_WithTheRentCounterListenedTo_AllocateNothing()
    {
        using var factory = new TestMeterFactory();
        using var rents = new WorkloadRentCounter(factory);
        var cluster = new FakeCluster(new FakeHost("db1", 5001, EndpointRole.Primary));
        await using var pool = cluster.CreatePool(o => o.MeterFactory = factory);
        await pool.WarmUpAsync();
        pool.Rent(Workload.ReadWrite).Dispose();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            pool.Rent(Workload.ReadWrite).Dispose();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_001, rents.Counted);
    }
}
