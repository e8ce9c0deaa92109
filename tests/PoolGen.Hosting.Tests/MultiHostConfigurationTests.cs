using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PoolGen.Hosting.Tests.Infrastructure;

namespace PoolGen.Hosting.Tests;

/// <summary>A generated multi-host pool registered like any pool: its endpoints and sizes bound from configuration.</summary>
public sealed class MultiHostConfigurationTests
{
    [Fact]
    public async Task BindConfiguration_ReadsTheEndpointsAsHostPortStrings_AndEachEndpointGetsTheSizes()
    {
        await using ServiceProvider provider = Register(new()
        {
            ["Pools:Replicas:Max"] = "3",
            ["Pools:Replicas:Endpoints:0"] = "db1:5432",
            ["Pools:Replicas:Endpoints:1"] = "db2:5433",
        });
        HostedReplicasDb pool = provider.GetRequiredService<HostedReplicasDb>();
        await pool.WarmUpAsync();

        using (HostedReplicasDb.Lease read = pool.Rent(Workload.ReadOnly))
        {
            Assert.Equal("db2:5433", read.Endpoint.ToString());
            Assert.Equal(EndpointRole.Standby, read.Role);
        }

        await using (HostedReplicasDb.Lease write = await pool.RentAsync(Workload.ReadWrite))
        {
            Assert.Equal("db1:5432", write.Endpoint.ToString());
        }

        Assert.Equal(["db1:5432", "db2:5433"], ((IConfigurablePool)pool).GetOptions().Endpoints.Select(e => e.ToString()));
        Assert.All(pool.GetEndpointStats(), endpoint => Assert.Equal(3, endpoint.Pool.Max));
        Assert.Equal(["HostedReplicasDb@db1:5432", "HostedReplicasDb@db2:5433"], pool.GetEndpointStats().Select(e => e.Pool.Name));
    }

    [Fact]
    public async Task BindConfiguration_WithAnEndpointThatIsNoHostAndPort_FailsNamingThePoolAndTheKey()
    {
        await using ServiceProvider provider = Register(new() { ["Pools:Replicas:Endpoints:0"] = "db1:port" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HostedReplicasDb>().Stats);

        Assert.Contains("Pool 'HostedReplicasDb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'db1:port' at 'Pools:Replicas:Endpoints:0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("the port 'port' is not a number between 1 and 65535", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Register(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddConnectionPool(_ => new HostedReplicasDb()).BindConfiguration("Pools:Replicas");
        return services.BuildServiceProvider();
    }
}
