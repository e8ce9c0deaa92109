using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Postgres;

/// <summary>
/// Fresh tables in a PostgreSQL database, seeded, with their pool; disposing it closes the pool and drops the tables.
/// </summary>
internal sealed class PostgresDatabase : ISampleDatabase
{
    private readonly string _connectionString;
    private readonly Schema _schema;

    private PostgresDatabase(string connectionString, Schema schema, IOrderStore store)
    {
        _connectionString = connectionString;
        _schema = schema;
        Store = store;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}, tables {schema.Customers} and {schema.Orders}";
    }

    public string Description { get; }

    public IOrderStore Store { get; }

    public static async Task<PostgresDatabase> CreateAsync(string connectionString, Action<PoolOptions>? tune, CancellationToken cancellationToken)
    {
        string unpooled = WithoutDriverPooling(connectionString);
        Schema schema = Schema.ForPostgres("poolgen_sample_" + Guid.NewGuid().ToString("N")[..8]);
        await using (var setup = new NpgsqlConnection(unpooled))
        {
            await setup.OpenAsync(cancellationToken);
            try
            {
                await OrderQueries.SeedAsync(setup, schema, cancellationToken);
            }
            catch
            {
                await DropAsync(setup, schema);
                throw;
            }
        }

        return new PostgresDatabase(unpooled, schema, new OrderStore<NpgsqlConnection, PgOrdersDb.Lease>("PostgreSQL", new PgOrdersDb(unpooled, tune), schema));
    }

    /// <summary>Adds <c>Pooling=false</c> unless the connection string already says something about pooling.</summary>
    public static string WithoutDriverPooling(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Pooling") ? connectionString : connectionString.TrimEnd(';', ' ') + ";Pooling=false";
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await using var cleanup = new NpgsqlConnection(_connectionString);
        await cleanup.OpenAsync();
        await DropAsync(cleanup, _schema);
    }

    private static async Task DropAsync(NpgsqlConnection connection, Schema schema)
    {
        foreach (string statement in schema.DropStatements())
        {
            await OrderQueries.ExecuteAsync(connection, statement, CancellationToken.None);
        }
    }
}
