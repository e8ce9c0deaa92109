using System.Data;
using Microsoft.Data.Sqlite;
using PoolGen;

namespace PoolGen.WebSample;

/// <summary>The pool: SQLite in memory, shared by every connection of the process, kept alive by the pool's Min.</summary>
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
