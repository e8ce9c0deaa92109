using System.Collections.Concurrent;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests.Infrastructure;

/// <summary>A multi-host pool the hosting tests register: its endpoints come from configuration; port 5432 is the primary.</summary>
[ConnectionPool(Max = 2, RoleCheck = nameof(RoleOf))]
public sealed partial class HostedReplicasDb
{
    private readonly FakeDatabase _database = new();
    private readonly ConcurrentDictionary<FakeConnection, int> _ports = new();

    private async ValueTask<FakeConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken cancellationToken)
    {
        FakeConnection connection = await _database.OpenAsync(cancellationToken);
        _ports[connection] = endpoint.Port;
        return connection;
    }

    private EndpointRole RoleOf(FakeConnection connection) => _ports[connection] == 5432 ? EndpointRole.Primary : EndpointRole.Standby;
}
