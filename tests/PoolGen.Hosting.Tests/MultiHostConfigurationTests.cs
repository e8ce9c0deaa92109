using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PoolGen.Tests.Fakes;
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

    [Fact]
    public async Task Start_OfAMultiHostPoolGivenNoEndpoints_FailsSayingWhereToSetThem()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pools:Replicas:Max"] = "3" });
        builder.Services.AddConnectionPool(_ => new HostedReplicasDb()).BindConfiguration("Pools:Replicas").WarmUpOnStart();
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("cannot start", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pool 'HostedReplicasDb' is a multi-host pool (its factory takes a PoolEndpoint), but it was given no endpoints", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OfASingleServerPoolGivenEndpoints_FailsNamingItsFactory()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Pools:Orders:Endpoints:0"] = "db1:5432" });
        builder.Services.AddConnectionPool(_ => new HostedDb(new FakeDatabase())).BindConfiguration("Pools:Orders");
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Pool 'HostedDb' lists 1 endpoints (db1:5432), but its factory HostedDb.CreateAsync takes no PoolEndpoint", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Register(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddConnectionPool(_ => new HostedReplicasDb()).BindConfiguration("Pools:Replicas");
        return services.BuildServiceProvider();
    }
}
