using System.Collections.Concurrent;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>
/// A generated multi-host pool over fake hosts, declared as an application would: its factory opens on the endpoint's
/// host, its role check asks the host behind the connection, and <c>ConfigureHosts</c> takes the test's settings.
/// </summary>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 2_000, MaxRetryAttempts = 0, RoleCheck = nameof(RoleAsync))]
public sealed partial class FakeReplicas
{
    private readonly FakeCluster _cluster;
    private readonly Action<PoolOptions>? _configurePool;
    private readonly Action<MultiHostOptions<FakeConnection>>? _configureHosts;
    private readonly ConcurrentDictionary<FakeConnection, FakeHost> _hostOf = new();

    public FakeReplicas(
        FakeCluster cluster, Action<MultiHostOptions<FakeConnection>>? configureHosts = null, Action<PoolOptions>? configurePool = null)
    {
        _cluster = cluster;
        _configureHosts = configureHosts;
        _configurePool = configurePool;
    }

    private async ValueTask<FakeConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken cancellationToken)
    {
        FakeHost host = _cluster[endpoint];
        FakeConnection connection = await host.Database.OpenAsync(cancellationToken);
        _hostOf[connection] = host;
        return connection;
    }

    private ValueTask<EndpointRole> RoleAsync(FakeConnection connection, CancellationToken cancellationToken) =>
        _cluster.CheckRoleAsync(connection, _hostOf[connection].Endpoint, cancellationToken);

    partial void ConfigurePool(PoolOptions options)
    {
        options.Name = "replicas";
        options.Endpoints = [.. _cluster.Hosts.Select(h => h.Endpoint)];
        _configurePool?.Invoke(options);
    }

    partial void ConfigureHosts(MultiHostOptions<FakeConnection> options)
    {
        options.CheckTimeoutMs = 300;
        options.RecheckIntervalMs = 60_000;
        options.FailureRecheckMs = 50;
        _configureHosts?.Invoke(options);
    }
}
