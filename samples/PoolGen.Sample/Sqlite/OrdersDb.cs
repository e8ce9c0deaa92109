using System;
using System.Data;
using Microsoft.Data.Sqlite;

namespace PoolGen.Sample.Sqlite;

/// <summary>
/// The pool of SQLite connections. The generator adds <c>Rent</c>, <c>RentAsync</c>, <c>TryRent</c>, the
/// <c>Lease</c> struct, <c>Stats</c> and the pool's lifecycle; this file only says how a connection is opened and checked.
/// </summary>
/// <remarks>
/// SQLite serialises writers, so a handful of connections is plenty: the other workers wait in the pool's FIFO queue
/// rather than in SQLite's busy handler. Maintenance runs every second here (the default is 30 s), so the short run
/// shows the pool's health being checked.
/// </remarks>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAlive), IsBroken = nameof(IsBroken), AcquireTimeoutMs = 10_000,
    HealthCheckIntervalMs = 1_000)]
public sealed partial class OrdersDb
{
    private readonly string _connectionString;
    private readonly Action<PoolOptions>? _tune;

    /// <summary>Creates the pool; nothing is opened until the first rent or <c>WarmUpAsync</c>.</summary>
    /// <param name="connectionString">An SQLite connection string with <c>Pooling=False</c>: PoolGen does the pooling.</param>
    /// <param name="tune">Changes to the attribute's settings, e.g. the overload mode's; none by default.</param>
    public OrdersDb(string connectionString, Action<PoolOptions>? tune = null)
    {
        _connectionString = connectionString;
        _tune = tune;
    }

    partial void ConfigurePool(PoolOptions options) => _tune?.Invoke(options);

    private SqliteConnection Create()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteSettings.ApplyPerConnection(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool IsAlive(SqliteConnection connection) => connection.State == ConnectionState.Open;

    // Asked on every return, so it only reads state: a connection closed under its lease is not given to the next caller.
    private static bool IsBroken(SqliteConnection connection) => connection.State != ConnectionState.Open;
}
