using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Sqlite;

/// <summary>A fresh SQLite file in a temp folder, seeded, with its pool; disposing it closes the pool and deletes the folder.</summary>
internal sealed class SqliteDatabase : ISampleDatabase
{
    private readonly string _folder;

    private SqliteDatabase(string folder, string path, IOrderStore store)
    {
        _folder = folder;
        Description = path;
        Store = store;
    }

    public string Description { get; }

    public IOrderStore Store { get; }

    public static async Task<SqliteDatabase> CreateAsync(Action<PoolOptions>? tune, CancellationToken cancellationToken)
    {
        string folder = SqliteSettings.CreateTempFolder();
        string path = Path.Combine(folder, "orders.db");
        string connectionString = SqliteSettings.ConnectionString(path);
        Schema schema = Schema.ForSqlite();

        // Set up with a connection of its own: the pool is for the workload, and its counters should show only that.
        try
        {
            await using var setup = new SqliteConnection(connectionString);
            await setup.OpenAsync(cancellationToken);
            SqliteSettings.EnableWal(setup);
            SqliteSettings.ApplyPerConnection(setup);
            await OrderQueries.SeedAsync(setup, schema, cancellationToken);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new SqliteDatabase(folder, path, new OrderStore<SqliteConnection, OrdersDb.Lease>("SQLite", new OrdersDb(connectionString, tune), schema));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
