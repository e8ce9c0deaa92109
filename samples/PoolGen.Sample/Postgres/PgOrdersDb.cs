using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Sample.Postgres;

/// <summary>
/// The pool of PostgreSQL connections. The connection string must say <c>Pooling=false</c>, or Npgsql keeps a pool of
/// its own underneath this one and closing a connection here would only park it there.
/// </summary>
/// <remarks>
/// The factory and the validator are asynchronous: opening and checking a PostgreSQL connection are network round
/// trips, and <c>RentAsync</c> awaits them without blocking a thread. Validation runs only for a connection idle for
/// longer than <c>ValidateAfterIdleMs</c> (500 ms by default), so a busy pool does not pay a round trip per rent.
/// </remarks>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAliveAsync), AcquireTimeoutMs = 10_000)]
public sealed partial class PgOrdersDb
{
    private readonly string _connectionString;
    private readonly Action<PoolOptions>? _tune;

    /// <summary>Creates the pool; nothing is opened until the first rent or <c>WarmUpAsync</c>.</summary>
    /// <param name="connectionString">An Npgsql connection string with <c>Pooling=false</c>.</param>
    /// <param name="tune">Changes to the attribute's settings, e.g. the overload mode's; none by default.</param>
    public PgOrdersDb(string connectionString, Action<PoolOptions>? tune = null)
    {
        _connectionString = connectionString;
        _tune = tune;
    }

    partial void ConfigurePool(PoolOptions options) => _tune?.Invoke(options);

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PgConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PgConnections.IsAliveAsync(connection, cancellationToken);
}
