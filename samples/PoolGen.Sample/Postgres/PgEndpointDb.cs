using System.Data;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Sample.Postgres;

/// <summary>
/// The pool of one PostgreSQL server of a multi-host pool: the same settings as <see cref="PgOrdersDb"/>, with the
/// connection string of the endpoint it serves and the endpoint in its name.
/// </summary>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAliveAsync), AcquireTimeoutMs = 10_000)]
public sealed partial class PgEndpointDb
{
    private readonly string _connectionString;
    private readonly PoolEndpoint _endpoint;

    /// <summary>Creates the pool of one endpoint; nothing is opened until the first rent or <c>WarmUpAsync</c>.</summary>
    /// <param name="connectionString">The endpoint's Npgsql connection string, with <c>Pooling=false</c>.</param>
    /// <param name="endpoint">The endpoint, for the pool's name.</param>
    public PgEndpointDb(string connectionString, PoolEndpoint endpoint)
    {
        _connectionString = connectionString;
        _endpoint = endpoint;
    }

    private async ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
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

    private static async ValueTask<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection.State != ConnectionState.Open)
        {
            return false;
        }

        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is 1;
    }

    partial void ConfigurePool(PoolOptions options) => options.Name = $"orders@{_endpoint}";
}
