// PoolGen in five steps: a class, its registration, configuration, logging, a rent.
// Run it with: dotnet run --project samples/PoolGen.QuickStart
using System;
using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PoolGen;
using PoolGen.Hosting;

// Settings come from appsettings.json beside the program (or the command line: --Pools:Orders:Max=4).
HostApplicationBuilder builder = Host.CreateApplicationBuilder(
    new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// 2. Register the pool: one instance for the application. The container gives it its ILoggerFactory (PoolGen logs under
//    the category "PoolGen.OrdersDb") and IMeterFactory; its options come from the "Pools:Orders" section and are
//    checked when the host starts; its Min connections open at start, and it closes gracefully at stop.
builder.Services
    .AddConnectionPool(_ => new OrdersDb(builder.Configuration.GetConnectionString("Orders")!))
    .BindConfiguration("Pools:Orders")
    .WarmUpOnStart();

using IHost host = builder.Build();
await host.StartAsync();

// 3. Rent a connection, use it, and dispose the lease to give it back.
OrdersDb orders = host.Services.GetRequiredService<OrdersDb>();
await using (OrdersDb.Lease lease = await orders.RentAsync())
{
    await using SqliteCommand command = lease.Connection.CreateCommand();
    command.CommandText = "SELECT sqlite_version()";
    Console.WriteLine($"SQLite {await command.ExecuteScalarAsync()}, through pool '{orders.Stats.Name}'.");
}

// 4. Stats and health, as a dashboard or a health check reads them.
PoolStats stats = orders.Stats;
Console.WriteLine($"{stats.Idle} idle, {stats.Leased} leased (Min {stats.Min}, Max {stats.Max}), {stats.Rents} rents; health: {orders.GetHealth().Status}.");

await host.StopAsync();

// 1. The class: a partial class with [ConnectionPool] and a factory. The generator adds Rent, RentAsync, TryRent,
//    Lease, Stats, health and the pool's lifecycle to it.
[ConnectionPool(Max = 16, Validate = nameof(IsAlive))]
public sealed partial class OrdersDb(string connectionString)
{
    private SqliteConnection Create()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static bool IsAlive(SqliteConnection connection) => connection.State == ConnectionState.Open;
}
