using Npgsql;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// A multi-host pool declared as a user declares one: a factory that takes the endpoint, a role check named in the
/// attribute, the endpoints given from outside (as configuration gives them), routing set in ConfigureHosts.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, MaxRetryAttempts = 0, RoleCheck = nameof(RoleAsync))]
public sealed partial class ReplicatedOrdersDb
{
    private readonly string _connectionString;

    public ReplicatedOrdersDb(string connectionString) => _connectionString = connectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(
            new NpgsqlConnectionStringBuilder(_connectionString) { Host = endpoint.Host, Port = endpoint.Port }.ConnectionString,
            cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);

    private static async ValueTask<EndpointRole> RoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? EndpointRole.Standby : EndpointRole.Primary;
    }

    partial void ConfigureHosts(MultiHostOptions<NpgsqlConnection> options)
    {
        options.Balancer = new LeastConnectionsBalancer();
        options.RecheckIntervalMs = 2_000;
        options.CheckTimeoutMs = 3_000;
        options.QuotaPercent[Workload.Analytics] = 25;
    }
}

[Collection(ReplicaCollection.Name)]
public sealed class GeneratedMultiHostTests
{
    private readonly ReplicaSet _set;

    public GeneratedMultiHostTests(ReplicaFixture fixture) => _set = fixture.Set;

    [Fact]
    public async Task GeneratedPool_ReadsLandOnStandbysAndWritesOnThePrimary_EachEndpointWithItsOwnPool()
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            Timeout = 2,
            ApplicationName = $"poolgen-generated-{Guid.NewGuid():N}"[..40],
        }.ConnectionString;
        await using var db = new ReplicatedOrdersDb(connectionString);
        ((IConfigurablePool)db).Configure(options =>
        {
            options.Name = "orders";
            options.Endpoints = [.. _set.Nodes.Select(n => n.Endpoint)];
        });
        await db.WarmUpAsync();
        int[] standbyPorts = _set.Nodes.Skip(1).Select(n => n.Port).ToArray();

        await using (var write = await db.RentAsync(Workload.ReadWrite))
        {
            Assert.Equal(EndpointRole.Primary, write.Role);
            Assert.Equal((false, _set.Primary.Port), await ReplicaPools.WhereAsync(write.Connection));
        }

        for (int i = 0; i < 6; i++)
        {
            using var read = db.Rent(Workload.ReadOnly);
            (bool inRecovery, int port) = await ReplicaPools.WhereAsync(read.Connection);
            Assert.True(inRecovery, $"a ReadOnly lease on port {port} is not on a standby");
            Assert.Contains(port, standbyPorts);
            Assert.Equal(read.Endpoint.Port, port);
            Assert.Equal(EndpointRole.Standby, read.Role);
        }

        await using (var lease = await db.RentAsync())
        {
            Assert.Equal(_set.Primary.Port, lease.Endpoint.Port); // the default workload writes
        }

        Assert.Equal(
            _set.Nodes.Select(n => $"orders@{n.Endpoint}"),
            db.GetEndpointStats().Select(e => e.Pool.Name));
        Assert.Equal(3, db.GetWorkloadStats().Single(w => w.Workload == Workload.Analytics).QuotaLimit); // 25 % of 3 × 4
        Assert.Equal(PoolHealthStatus.Healthy, db.GetHealth().Status);
        Assert.Contains(db, PoolRegistry.Default.GetPools());
    }

    [Fact]
    public async Task GeneratedPool_GivenNoEndpoints_SaysWhereToSetThemOnItsFirstRent()
    {
        await using var db = new ReplicatedOrdersDb("Username=postgres");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await db.RentAsync(Workload.ReadOnly));

        Assert.Contains("Pool 'ReplicatedOrdersDb' is a multi-host pool (its factory takes a PoolEndpoint), but it was given no endpoints", error.Message);
        Assert.Contains("PoolOptions.Endpoints", error.Message);
        Assert.Equal(PoolHealthStatus.Unhealthy, db.GetHealth().Status);
    }
}
