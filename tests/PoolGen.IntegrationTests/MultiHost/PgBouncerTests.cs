using Npgsql;
using PoolGen.IntegrationTests.Postgres;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// The pool of one endpoint behind PgBouncer in transaction mode: Npgsql must not reset the session on close (the
/// server connection is another client's by then) and must not prepare statements on the server (they would outlive
/// the transaction on a connection this client no longer has). PoolGen itself needs nothing special.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(RespondsAsync), AcquireTimeoutMs = 10_000)]
public sealed partial class BouncedEndpointDb
{
    private readonly string _connectionString;

    public BouncedEndpointDb(PoolEndpoint endpoint) =>
        _connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            NoResetOnClose = true,
            MaxAutoPrepare = 0,
            Timeout = 5,
        }.ConnectionString;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}

/// <summary>Several pools, as several application instances, share a small server pool through PgBouncer.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class PgBouncerTests
{
    private const int ServerPoolSize = 2, Pools = 3, WorkersPerPool = 4, TransactionsPerWorker = 25;

    private readonly ReplicaSet _set;
    private readonly ITestOutputHelper _output;

    public PgBouncerTests(ReplicaFixture fixture, ITestOutputHelper output)
    {
        _set = fixture.Set;
        _output = output;
    }

    [Fact]
    public async Task ThreePools_InTransactionMode_ShareTwoServerConnectionsAndLoseNoTransaction()
    {
        await using var bouncer = await PgBouncer.StartAsync(_set.Primary.Port, ServerPoolSize);
        await using var primary = new NpgsqlConnection(ObserverConnectionString);
        await primary.OpenAsync();
        await ExecuteAsync(primary, "DROP TABLE IF EXISTS bouncer_marks; CREATE TABLE bouncer_marks (pool int, n int)");

        var pools = Enumerable.Range(0, Pools).Select(i => new MultiHostPool<NpgsqlConnection, BouncedEndpointDb.Lease>(
            new MultiHostOptions<NpgsqlConnection>($"bounced{i}", [bouncer.Endpoint]) { RoleCheck = ReplicaPools.PgRoleAsync },
            endpoint => new BouncedEndpointDb(endpoint))).ToArray();
        try
        {
            using var sampling = new CancellationTokenSource();
            Task<int> mostServerBackends = MostClientBackendsAsync(sampling.Token);

            await Task.WhenAll(pools.SelectMany((pool, p) => Enumerable.Range(0, WorkersPerPool).Select(w => Task.Run(async () =>
            {
                for (int n = 0; n < TransactionsPerWorker; n++)
                {
                    await using var lease = await pool.RentAsync(Workload.ReadWrite);
                    await using NpgsqlTransaction transaction = await lease.Connection.BeginTransactionAsync();
                    await using (var insert = new NpgsqlCommand("INSERT INTO bouncer_marks VALUES (@pool, @n)", lease.Connection, transaction))
                    {
                        insert.Parameters.AddWithValue("pool", p);
                        insert.Parameters.AddWithValue("n", (w * TransactionsPerWorker) + n);
                        await insert.ExecuteNonQueryAsync();
                    }

                    // A second statement in the same transaction: it must see the first, on the same server connection.
                    await using (var check = new NpgsqlCommand("SELECT count(*) FROM bouncer_marks WHERE pool = @pool AND n = @n", lease.Connection, transaction))
                    {
                        check.Parameters.AddWithValue("pool", p);
                        check.Parameters.AddWithValue("n", (w * TransactionsPerWorker) + n);
                        Assert.Equal(1L, await check.ExecuteScalarAsync());
                    }

                    await transaction.CommitAsync();
                }
            }))));

            sampling.Cancel();
            int serverBackends = await mostServerBackends;
            long clientConnections = pools.Sum(p => p.Stats.Created);
            long rows = (long)(await new NpgsqlCommand("SELECT count(DISTINCT (pool, n)) FROM bouncer_marks", primary).ExecuteScalarAsync())!;
            _output.WriteLine(
                $"{Pools} pools opened {clientConnections} connections to PgBouncer; the server saw at most {serverBackends} " +
                $"client backends; {rows} of {Pools * WorkersPerPool * TransactionsPerWorker} transactions committed");

            Assert.Equal(Pools * WorkersPerPool * TransactionsPerWorker, rows);
            Assert.All(pools, p => Assert.Equal(EndpointRole.Primary, p.StateOf(bouncer.Endpoint).Role)); // the role check works through it
            Assert.InRange(clientConnections, Pools * 2, Pools * 4); // each pool held several connections at once...
            Assert.InRange(serverBackends, 1, ServerPoolSize);       // ...and they shared two server connections
        }
        finally
        {
            foreach (var pool in pools)
            {
                await pool.DisposeAsync();
            }

            await ExecuteAsync(primary, "DROP TABLE IF EXISTS bouncer_marks");
        }
    }

    private const string ObserverName = "poolgen-bouncer-observer";

    // The test's own direct connections to the primary, named so that the count of server backends leaves them out.
    private string ObserverConnectionString =>
        new NpgsqlConnectionStringBuilder(_set.Primary.ConnectionString) { ApplicationName = ObserverName }.ConnectionString;

    // The most client backends the server had at once while the workload ran, the observer's own left out.
    private async Task<int> MostClientBackendsAsync(CancellationToken stop)
    {
        await using var observer = new NpgsqlConnection(ObserverConnectionString);
        await observer.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name <> '{ObserverName}'", observer);
        int most = 0;
        while (!stop.IsCancellationRequested)
        {
            most = Math.Max(most, (int)(await command.ExecuteScalarAsync())!);
            await Task.Delay(10);
        }

        return most;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
