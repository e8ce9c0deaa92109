using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>A host that accepts TCP and never answers costs its own check timeout, in the background, and no rent's time.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class HangingHostTests
{
    private readonly ReplicaSet _set;
    private readonly ITestOutputHelper _output;

    public HangingHostTests(ReplicaFixture fixture, ITestOutputHelper output)
    {
        _set = fixture.Set;
        _output = output;
    }

    [Fact]
    public async Task Rents_WithASilentHostListedFirst_AreServedByTheOthersWithoutWaitingForIt()
    {
        await using var silent = new SilentServer();
        var silentEndpoint = new PoolEndpoint("127.0.0.1", silent.Port, "silent");
        await using var pool = ReplicaPools.Create(
            "hanging", [silentEndpoint, _set.Primary.Endpoint, _set.Nodes[1].Endpoint], o => o.CheckTimeoutMs = 3_000);

        var stopwatch = Stopwatch.StartNew();
        var latencies = new List<long>();
        for (int i = 0; i < 20; i++)
        {
            long before = stopwatch.ElapsedMilliseconds;
            Workload workload = i % 2 == 0 ? Workload.ReadOnly : Workload.ReadWrite;
            await using var lease = await pool.RentAsync(workload);
            latencies.Add(stopwatch.ElapsedMilliseconds - before);
            Assert.NotEqual(silentEndpoint, lease.Endpoint);
            Assert.NotEqual(silent.Port, (await ReplicaPools.WhereAsync(lease.Connection)).Port);
        }

        _output.WriteLine($"rents with a silent host: {string.Join(", ", latencies)} ms; silent host accepted {silent.Accepted} connections");
        // The first rent waits for the other hosts' first checks (a connect and a query on loopback); none waits for
        // the silent host's 3 s check timeout or its 2 s connect timeout.
        Assert.All(latencies, ms => Assert.InRange(ms, 0, 1_000));
        Assert.True(silent.Accepted >= 1, "the silent host was never even tried, so the test proved nothing");

        // Its check ends with the connect timeout, in the background: offline, saying why.
        var state = pool.StateOf(silentEndpoint);
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!state.Checked() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(state.IsOnline);
        Assert.NotNull(state.LastError);
        _output.WriteLine($"silent host: {state}");
    }
}

internal static class EndpointStateExtensions
{
    /// <summary>Whether a check of the endpoint has finished (its last check time is set).</summary>
    public static bool Checked(this EndpointState state) => state.LastCheck is not null;
}
