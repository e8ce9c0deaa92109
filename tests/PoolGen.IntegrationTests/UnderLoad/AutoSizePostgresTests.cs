using System.Diagnostics;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Postgres;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.UnderLoad;

/// <summary>AutoSize on real PostgreSQL: a step up in demand is met with backends opened ahead of it, within seconds.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AutoSizePostgresTests
{
    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-autosize-{Guid.NewGuid():N}";

    public AutoSizePostgresTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task AStepUpInDemand_OpensBackendsAheadOfIt_WithinSeconds()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var pool = new AutoSizedPostgresPool(_cluster.ConnectionStringFor(_app));
        var held = new List<AutoSizedPostgresPool.Lease>();
        for (int i = 0; i < 8; i++)
        {
            held.Add(await pool.RentAsync(limit.Token));
        }

        // Eight in use: the auto-sizer wants 8 × 1.25 = 10 open, 2 of them idle, ready for the next rents.
        var clock = Stopwatch.StartNew();
        int[] backends = await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 10, TimeSpan.FromSeconds(30));
        TimeSpan reaction = clock.Elapsed;
        _output.WriteLine($"10 backends open {reaction.TotalMilliseconds:0} ms after demand stepped to 8");

        Assert.True(reaction < TimeSpan.FromSeconds(30), $"the pool took {reaction} to grow");
        Assert.Equal((10, 2), (pool.Stats.Total, pool.Stats.Idle));
        Assert.Equal(10, backends.Length);
        foreach (AutoSizedPostgresPool.Lease lease in held)
        {
            await using NpgsqlCommand command = lease.Connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Assert.Equal(1, await command.ExecuteScalarAsync(limit.Token));
            await lease.DisposeAsync();
        }
    }
}

/// <summary>A pool over PostgreSQL that sizes itself.</summary>
[ConnectionPool(Max = 20, AutoSize = true)]
public sealed partial class AutoSizedPostgresPool
{
    private readonly string _connectionString;

    public AutoSizedPostgresPool(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);
}
