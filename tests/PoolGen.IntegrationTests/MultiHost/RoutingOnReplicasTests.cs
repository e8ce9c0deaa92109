using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>Reads and writes on a real primary and two streaming standbys: where each lease lands, and the spread.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class RoutingOnReplicasTests
{
    private readonly ReplicaSet _set;
    private readonly ITestOutputHelper _output;

    public RoutingOnReplicasTests(ReplicaFixture fixture, ITestOutputHelper output)
    {
        _set = fixture.Set;
        _output = output;
    }

    [Fact]
    public async Task Rents_ReadsLandOnStandbysAndWritesOnThePrimary_AsTheServersThemselvesSay()
    {
        await using var pool = ReplicaPools.Create("routing", _set.Nodes.Select(n => n.Endpoint));
        await pool.WarmUpAsync(); // every role known: until a standby's first check ends, reads may fall back to the primary
        int[] standbyPorts = _set.Nodes.Skip(1).Select(n => n.Port).ToArray();

        await using (var write = await pool.RentAsync(Workload.ReadWrite))
        {
            Assert.Equal((false, _set.Primary.Port), await ReplicaPools.WhereAsync(write.Connection));
            await using var command = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS multihost_marks (id int); INSERT INTO multihost_marks VALUES (42)", write.Connection);
            await command.ExecuteNonQueryAsync();
        }

        await _set.WaitForReplayAsync();
        var seen = new HashSet<int>();
        for (int i = 0; i < 20; i++)
        {
            await using var read = await pool.RentAsync(Workload.ReadOnly);
            (bool inRecovery, int port) = await ReplicaPools.WhereAsync(read.Connection);
            Assert.True(inRecovery, $"a ReadOnly lease on port {port} is not on a standby");
            Assert.Contains(port, standbyPorts);
            Assert.Equal(read.Endpoint.Port, port);
            seen.Add(port);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM multihost_marks WHERE id = 42", read.Connection);
            Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        }

        Assert.Equal(standbyPorts.Order(), seen.Order()); // round-robin used both standbys

        for (int i = 0; i < 5; i++)
        {
            await using var write = await pool.RentAsync(Workload.ReadWrite);
            Assert.Equal((false, _set.Primary.Port), await ReplicaPools.WhereAsync(write.Connection));
        }
    }

    [Fact]
    public async Task LeastConnections_SpreadsConcurrentReadsAcrossTwoStandbysWithinTenPercent()
    {
        await using var pool = ReplicaPools.Create(
            "spread", _set.Nodes.Select(n => n.Endpoint), o => o.Balancer = new LeastConnectionsBalancer());
        await pool.WarmUpAsync(); // every role known: no read falls back to the primary while the standbys are checked
        const int Workers = 8, RentsEach = 50;

        await RunReadsAsync(pool, Workers, 5); // every endpoint pool opens its connections: cold opens are not measured
        Dictionary<int, int> rents = await RunReadsAsync(pool, Workers, RentsEach);

        int total = Workers * RentsEach;
        _output.WriteLine(string.Join(", ", rents.Select(p => $"port {p.Key}: {p.Value} rents ({100.0 * p.Value / total:0.0} %)")));
        Assert.Equal(_set.Nodes.Skip(1).Select(n => n.Port).Order(), rents.Keys.Order());
        // Within 10 % of an even share: each standby serves 45 to 55 % of the reads.
        Assert.All(rents.Values, count => Assert.InRange(count / (double)total, 0.45, 0.55));
    }

    /// <summary>Runs concurrent reads; returns how many landed on each server port, as the server reports it.</summary>
    private static async Task<Dictionary<int, int>> RunReadsAsync(
        MultiHostPool<NpgsqlConnection, ReplicaEndpointDb.Lease> pool, int workers, int rentsEach)
    {
        var rents = new Dictionary<int, int>();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < rentsEach; i++)
            {
                await using var read = await pool.RentAsync(Workload.ReadOnly);
                await using var command = new NpgsqlCommand("SELECT inet_server_port() FROM pg_sleep(0.005)", read.Connection);
                int port = (int)(await command.ExecuteScalarAsync())!;
                lock (rents)
                {
                    rents[port] = rents.GetValueOrDefault(port) + 1;
                }
            }
        })));
        return rents;
    }

    [Fact]
    public async Task StandbyStopped_ReadsFallBackToThePrimary_StandbyOnlyFailsFast_ThenReadsReturn()
    {
        ReplicaNode standby = _set.Nodes[1];
        PoolEndpoint[] endpoints = [_set.Primary.Endpoint, standby.Endpoint];
        await using var preferring = ReplicaPools.Create("prefer", endpoints);
        await using var strict = ReplicaPools.Create("strict", endpoints, o => o.Route(Workload.ReadOnly, TargetRole.Standby));
        await preferring.WarmUpAsync();
        await strict.WarmUpAsync();
        await using (var read = await preferring.RentAsync(Workload.ReadOnly))
        {
            Assert.Equal(standby.Port, (await ReplicaPools.WhereAsync(read.Connection)).Port);
        }

        await using (await strict.RentAsync(Workload.ReadOnly))
        {
        }

        try
        {
            await _set.StopAsync(standby);
            var stopwatch = Stopwatch.StartNew();

            // Falling back: the first reads may meet the dead standby (its pool's idle connection fails validation and
            // the open is refused); each such rent goes to the primary instead of failing.
            var latencies = new List<long>();
            for (int i = 0; i < 10; i++)
            {
                long before = stopwatch.ElapsedMilliseconds;
                await using var read = await preferring.RentAsync(Workload.ReadOnly);
                latencies.Add(stopwatch.ElapsedMilliseconds - before);
                Assert.Equal((false, _set.Primary.Port), await ReplicaPools.WhereAsync(read.Connection));
            }

            _output.WriteLine($"fallback: reads after the stop took {string.Join(", ", latencies)} ms");
            Assert.All(latencies, ms => Assert.InRange(ms, 0, 2_000));

            // Standby-only: fails fast with the endpoints in the message, within about one refused connect.
            var failures = new List<long>();
            for (int i = 0; i < 5; i++)
            {
                long before = stopwatch.ElapsedMilliseconds;
                var error = await Assert.ThrowsAnyAsync<Exception>(async () => await strict.RentAsync(Workload.ReadOnly));
                failures.Add(stopwatch.ElapsedMilliseconds - before);
                Assert.True(error is EndpointUnavailableException or PoolConnectionException, error.ToString());
                if (error is EndpointUnavailableException unavailable)
                {
                    Assert.Contains($"{standby.Name} (standby, offline since", unavailable.Message);
                }
            }

            _output.WriteLine($"standby-only: failed rents took {string.Join(", ", failures)} ms");
            Assert.All(failures, ms => Assert.InRange(ms, 0, 2_000));
            Assert.IsType<EndpointUnavailableException>(await Record.ExceptionAsync(async () => await strict.RentAsync(Workload.ReadOnly)));
        }
        finally
        {
            await _set.StartAsync(standby);
        }

        // Back: within a recheck interval (2 s here) reads land on the standby again.
        var back = Stopwatch.StartNew();
        while (true)
        {
            await using var read = await preferring.RentAsync(Workload.ReadOnly);
            if ((await ReplicaPools.WhereAsync(read.Connection)).Port == standby.Port)
            {
                break;
            }

            Assert.InRange(back.ElapsedMilliseconds, 0, 10_000);
            await Task.Delay(50);
        }

        _output.WriteLine($"reads returned to the restarted standby {back.ElapsedMilliseconds} ms after it was up");
    }
}
