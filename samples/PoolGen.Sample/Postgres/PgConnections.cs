using System.Data;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Sample.Postgres;

/// <summary>What the sample's PostgreSQL pools do to open and check a connection, written once for both of them.</summary>
internal static class PgConnections
{
    /// <summary>Opens a connection; one that fails to open is disposed, not left for the finalizer.</summary>
    public static async ValueTask<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the connection is open and its server answers <c>SELECT 1</c>.</summary>
    public static async ValueTask<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State != ConnectionState.Open)
        {
            return false;
        }

        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }
}
