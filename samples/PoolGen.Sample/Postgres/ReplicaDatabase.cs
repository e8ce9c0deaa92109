using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Postgres;

/// <summary>
/// Fresh tables on a PostgreSQL primary, seeded and replayed on its standby, with a multi-host pool over both;
/// disposing it closes the pool and drops the tables (on the primary, from where the drop replicates).
/// </summary>
internal sealed class ReplicaDatabase : ISampleDatabase
{
    private readonly string _primary;
    private readonly Schema _schema;

    private ReplicaDatabase(string primary, Schema schema, IOrderStore store, string description)
    {
        _primary = primary;
        _schema = schema;
        Store = store;
        Description = description;
    }

    public string Description { get; }

    public IOrderStore Store { get; }

    public static async Task<ReplicaDatabase> CreateAsync(string primary, string standby, CancellationToken cancellationToken)
    {
        primary = PostgresDatabase.WithoutDriverPooling(primary);
        standby = PostgresDatabase.WithoutDriverPooling(standby);
        Schema schema = Schema.ForPostgres("poolgen_sample_" + Guid.NewGuid().ToString("N")[..8]);
        await using (var setup = new NpgsqlConnection(primary))
        {
            await setup.OpenAsync(cancellationToken);
            await OrderQueries.SeedAsync(setup, schema, cancellationToken);
            await WaitForReplayAsync(setup, standby, cancellationToken);
        }

        // Each endpoint is connected to with its own connection string; the pool only tells them apart by host and port.
        var connectionStrings = new Dictionary<PoolEndpoint, string>
        {
            [EndpointOf(primary)] = primary,
            [EndpointOf(standby)] = standby,
        };
        var pool = new PgReplicasDb(connectionStrings);
        string description = $"primary {EndpointOf(primary)}, standby {EndpointOf(standby)}, tables {schema.Customers} and {schema.Orders}";
        return new ReplicaDatabase(primary, schema, new ReplicaOrderStore(pool, schema), description);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await using var cleanup = new NpgsqlConnection(_primary);
        await cleanup.OpenAsync();
        foreach (string statement in _schema.DropStatements())
        {
            await OrderQueries.ExecuteAsync(cleanup, statement, CancellationToken.None);
        }
    }

    private static PoolEndpoint EndpointOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new PoolEndpoint(builder.Host ?? "localhost", builder.Port);
    }

    // The workload reads the seeded tables on the standby from its first second: wait until the standby has them.
    private static async Task WaitForReplayAsync(NpgsqlConnection primary, string standby, CancellationToken cancellationToken)
    {
        await using var lsnCommand = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
        string lsn = (string)(await lsnCommand.ExecuteScalarAsync(cancellationToken))!;
        await using var connection = new NpgsqlConnection(standby);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= @lsn::pg_lsn", connection);
        command.Parameters.AddWithValue("lsn", lsn);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The standby ({EndpointOf(standby)}) has not replayed the primary's WAL up to {lsn} within 30 s: check that it is a " +
                    "streaming standby of this primary (pg_is_in_recovery() is true there, and primary_conninfo points here).");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
