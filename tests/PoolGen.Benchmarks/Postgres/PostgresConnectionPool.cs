using System.Data;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Benchmarks.Postgres;

/// <summary>
/// A generated pool of PostgreSQL connections, written as the README recommends: the connection string turns Npgsql's
/// own pooling off (<c>Pooling=false</c>), so this pool is the only one. The validator is a state check, like the one
/// Npgsql's pool makes on rent, and the default <c>ValidateAfterIdleMs</c> skips it for a connection used within the
/// last 500 ms.
/// </summary>
[ConnectionPool(Max = 8, Validate = nameof(IsOpen))]
public sealed partial class PostgresConnectionPool
{
    private readonly string _connectionString;
    private readonly int _max;

    /// <param name="connectionString">Must contain <c>Pooling=false</c>.</param>
    /// <param name="max">The pool's <c>Max</c>.</param>
    public PostgresConnectionPool(string connectionString, int max)
    {
        _connectionString = connectionString;
        _max = max;
    }

    private async ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static bool IsOpen(NpgsqlConnection connection) => connection.FullState == ConnectionState.Open;

    partial void ConfigurePool(PoolOptions options) => options.Max = _max;
}
