using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// A real failover: the primary stops, writes fail fast, the standby is promoted with <c>pg_ctl promote</c>, and writes
/// succeed against it without a new pool. It runs on a replica set of its own, which it leaves promoted.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private ReplicaSet? _set;

    public FailoverTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _set = await ReplicaSet.StartAsync(standbys: 1);

    public async Task DisposeAsync()
    {
        if (_set is not null)
        {
            await _set.DisposeAsync();
        }
    }

    [Fact]
    public async Task Writes_DuringAndAfterAPromotion_FailFastThenRecoverOnTheNewPrimary()
    {
        ReplicaSet set = _set!;
        ReplicaNode oldPrimary = set.Primary, standby = set.Nodes[1];
        await using var pool = ReplicaPools.Create("failover", [oldPrimary.Endpoint, standby.Endpoint]);
        await WriteAsync(pool, "CREATE TABLE failover_marks (id int)");
        await WriteAsync(pool, "INSERT INTO failover_marks VALUES (1)");
        await set.WaitForReplayAsync();

        // The gap: the primary is down and nobody is promoted yet. Writes fail fast, never near the 10 s acquire timeout.
        await set.StopAsync(oldPrimary);
        var gap = new List<(long Ms, string Error)>();
        for (int i = 0; i < 5; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            Exception? error = await Record.ExceptionAsync(() => WriteAsync(pool, "INSERT INTO failover_marks VALUES (2)"));
            gap.Add((stopwatch.ElapsedMilliseconds, error?.GetType().Name ?? "none"));
            Assert.NotNull(error);
        }

        _output.WriteLine($"writes during the gap: {string.Join(", ", gap.Select(g => $"{g.Ms} ms {g.Error}"))}");
        Assert.All(gap, g => Assert.InRange(g.Ms, 0, 2_500));
        Assert.Equal(nameof(EndpointUnavailableException), gap[^1].Error);
        Assert.Equal(PoolHealthStatus.Unhealthy, pool.GetHealth().Status);

        // Promotion; then measure until the first write succeeds, retrying as an application would.
        await set.PromoteAsync(standby);
        var recovery = Stopwatch.StartNew();
        int failedAttempts = 0;
        while (true)
        {
            try
            {
                await WriteAsync(pool, "INSERT INTO failover_marks VALUES (3)");
                break;
            }
            catch (Exception ex) when (ex is EndpointUnavailableException or PoolConnectionException or NpgsqlException)
            {
                failedAttempts++;
                Assert.InRange(recovery.ElapsedMilliseconds, 0, 15_000);
                await Task.Delay(20);
            }
        }

        recovery.Stop();
        _output.WriteLine($"failover recovery: first write {recovery.ElapsedMilliseconds} ms after pg_ctl promote returned, {failedAttempts} failed attempts");
        // FailureRecheckMs is 200 ms: a failed write has the standby rechecked at once, at most every 200 ms.
        Assert.InRange(recovery.ElapsedMilliseconds, 0, 3_000);

        await using (var write = await pool.RentAsync(Workload.ReadWrite))
        {
            Assert.Equal((false, standby.Port), await ReplicaPools.WhereAsync(write.Connection));
            await using var count = new NpgsqlCommand("SELECT count(*) FROM failover_marks", write.Connection);
            Assert.Equal(2L, await count.ExecuteScalarAsync()); // rows 1 and 3: nothing written in the gap, nothing lost
        }

        EndpointStats old = pool.GetEndpointStats().Single(e => e.Endpoint == oldPrimary.Endpoint);
        Assert.False(old.IsOnline);
        Assert.Equal(0, old.Pool.Total); // the demoted host's connections were cleared
    }

    private static async Task WriteAsync(MultiHostPool<NpgsqlConnection, ReplicaEndpointDb.Lease> pool, string sql)
    {
        await using var lease = await pool.RentAsync(Workload.ReadWrite);
        try
        {
            await using var command = new NpgsqlCommand(sql, lease.Connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            lease.Invalidate(); // the connection broke: closed on return, and the endpoint rechecked soon
            throw;
        }
    }
}
