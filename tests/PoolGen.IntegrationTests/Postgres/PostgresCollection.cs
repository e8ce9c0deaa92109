namespace PoolGen.IntegrationTests.Postgres;

/// <summary>xunit's side of the cluster: it is the collection's fixture, started before its first test and stopped after its last.</summary>
public sealed partial class PostgresCluster : IAsyncLifetime
{
}

/// <summary>All PostgreSQL tests share one cluster and run one after another, so backend counts are theirs alone.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
