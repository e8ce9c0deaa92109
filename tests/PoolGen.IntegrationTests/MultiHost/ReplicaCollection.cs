namespace PoolGen.IntegrationTests.MultiHost;

/// <summary>A primary and two standbys for the replica tests that leave the topology as they found it.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    private ReplicaSet? _set;

    public ReplicaSet Set => _set ?? throw new InvalidOperationException("The replica set has not started.");

    public async Task InitializeAsync() => _set = await ReplicaSet.StartAsync(standbys: 2);

    public async Task DisposeAsync()
    {
        if (_set is not null)
        {
            await _set.DisposeAsync();
        }
    }
}

/// <summary>The replica tests run one after another: some stop a standby, and the spread test counts every lease.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaFixture>
{
    public const string Name = "PostgreSQL replicas";
}
