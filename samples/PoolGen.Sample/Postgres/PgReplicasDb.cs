using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace PoolGen.Sample.Postgres;

/// <summary>
/// The orders database on a PostgreSQL primary and its standby, as one multi-host pool: the factory takes the endpoint
/// to connect to, <see cref="IsInRecoveryAsync"/> tells a primary from a standby, and rents name their workload.
/// </summary>
[ConnectionPool(Min = 2, Max = 8, Validate = nameof(IsAliveAsync), AcquireTimeoutMs = 10_000, RoleCheck = nameof(IsInRecoveryAsync))]
public sealed partial class PgReplicasDb
{
    private readonly IReadOnlyDictionary<PoolEndpoint, string> _connectionStrings;

    /// <summary>Creates the pool; nothing is opened until the first rent or <c>WarmUpAsync</c>.</summary>
    /// <param name="connectionStrings">
    /// Each endpoint's Npgsql connection string, with <c>Pooling=false</c>: a primary and a standby may differ in more than
    /// host and port (user, database), so each is connected to with its own.
    /// </param>
    public PgReplicasDb(IReadOnlyDictionary<PoolEndpoint, string> connectionStrings) => _connectionStrings = connectionStrings;

    private ValueTask<NpgsqlConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken cancellationToken) =>
        PgConnections.OpenAsync(_connectionStrings[endpoint], cancellationToken);

    private static ValueTask<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PgConnections.IsAliveAsync(connection, cancellationToken);

    /// <summary>PostgreSQL's role check: a server in recovery is a standby.</summary>
    private static async ValueTask<EndpointRole> IsInRecoveryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? EndpointRole.Standby : EndpointRole.Primary;
    }

    partial void ConfigurePool(PoolOptions options)
    {
        options.Name = "orders";
        options.Endpoints = _connectionStrings.Keys.ToList();
    }
}
