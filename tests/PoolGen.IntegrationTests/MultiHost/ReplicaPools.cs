using Npgsql;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>
/// The pool of one PostgreSQL endpoint, as a user writes it for a multi-host pool: the factory connects to the
/// endpoint it was given; a 2 s connect timeout keeps a host that does not answer from holding a check for long, and
/// every rent validates (ValidateAfterIdleMs = 0), so a connection to a server just stopped is never lent.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0, AcquireTimeoutMs = 10_000, MaxRetryAttempts = 0)]
public sealed partial class ReplicaEndpointDb
{
    private readonly string _connectionString;
    private readonly PoolEndpoint _endpoint;

    public ReplicaEndpointDb(string applicationName, PoolEndpoint endpoint)
    {
        _endpoint = endpoint;
        _connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            Timeout = 2,
            ApplicationName = applicationName,
        }.ConnectionString;
    }

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);

    partial void ConfigurePool(PoolOptions options) => options.Name = $"replicas@{_endpoint}";
}

internal static class ReplicaPools
{
    /// <summary>PostgreSQL's role check: a server in recovery is a standby.</summary>
    public static async ValueTask<EndpointRole> PgRoleAsync(NpgsqlConnection connection, PoolEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true ? EndpointRole.Standby : EndpointRole.Primary;
    }

    public static MultiHostPool<NpgsqlConnection, ReplicaEndpointDb.Lease> Create(
        string name, IEnumerable<PoolEndpoint> endpoints, Action<MultiHostOptions<NpgsqlConnection>>? configure = null)
    {
        string app = $"poolgen-{name}-{Guid.NewGuid():N}"[..40];
        var options = new MultiHostOptions<NpgsqlConnection>(name, endpoints)
        {
            RoleCheck = PgRoleAsync,
            AcquireTimeoutMs = 10_000,
            CheckTimeoutMs = 3_000,
            RecheckIntervalMs = 2_000,
            FailureRecheckMs = 200,
        };
        configure?.Invoke(options);
        return new MultiHostPool<NpgsqlConnection, ReplicaEndpointDb.Lease>(options, endpoint => new ReplicaEndpointDb(app, endpoint));
    }

    /// <summary>Where the lease's connection really is: <c>(pg_is_in_recovery(), inet_server_port())</c> asked of the server.</summary>
    public static async Task<(bool InRecovery, int Port)> WhereAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), inet_server_port()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetBoolean(0), reader.GetInt32(1));
    }
}
