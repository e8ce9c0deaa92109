using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoolGen.Hosting.Tests.Infrastructure;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests;

/// <summary><c>AddConnectionPool</c> without a host: the singleton, what it wires into the options, and in which order.</summary>
public sealed class AddConnectionPoolTests
{
    [Fact]
    public async Task AddConnectionPool_RegistersOneSingleton_BuiltByTheContainer()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new FakeDatabase());
        services.AddConnectionPool<HostedDb>();
        await using ServiceProvider provider = services.BuildServiceProvider();

        HostedDb pool = provider.GetRequiredService<HostedDb>();

        Assert.Same(pool, provider.GetRequiredService<HostedDb>());
        Assert.Same(provider.GetRequiredService<FakeDatabase>(), pool.Database);
        Assert.Same(PoolRegistry.Default, provider.GetRequiredService<PoolRegistry>());
        Assert.Contains(provider.GetServices<IHostedService>(), service => service is ConnectionPoolHostedService);
    }

    [Fact]
    public async Task AddConnectionPool_WiresTheContainersLoggerAndMeterFactories()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddConnectionPool(_ => new HostedDb(new FakeDatabase()));
        await using ServiceProvider provider = services.BuildServiceProvider();

        PoolOptions options = ((IConfigurablePool)provider.GetRequiredService<HostedDb>()).GetOptions();

        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), options.LoggerFactory);
        Assert.Same(provider.GetRequiredService<IMeterFactory>(), options.MeterFactory);
    }

    [Fact]
    public async Task ThePool_LogsAndMeasuresThroughTheContainersFactories()
    {
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddMetrics();
        var database = new FakeDatabase { FailWith = new TimeoutException("the database did not answer") };
        services.AddConnectionPool(_ => new HostedDb(database)).Configure(options => options.MaxRetryAttempts = 0);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMeterFactory meterFactory = provider.GetRequiredService<IMeterFactory>();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "PoolGen" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();

        HostedDb pool = provider.GetRequiredService<HostedDb>();
        await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());

        Assert.Contains("PoolGen.HostedDb", logs.Categories);
        Assert.Contains(logs.Logger.MessagesOf("OpenFailed"), m => m.Contains("the database did not answer", StringComparison.Ordinal));
        lock (instruments)
        {
            Assert.Contains(instruments, i => i.Name == "db.client.connection.count");
        }
    }

    [Fact]
    public async Task Options_AreBuiltFromTheAttributeThenConfigurationThenTheApplicationThenTheClass()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pools:Orders:Max"] = "9",
                ["Pools:Orders:AcquireTimeoutMs"] = "1234",
                ["Pools:Orders:ValidateOnReturn"] = "true",
            })
            .Build());
        int? maxSeenByApplication = null;
        services.AddConnectionPool(_ => new HostedDb(new FakeDatabase()) { NameFromCode = "orders" })
            .BindConfiguration("Pools:Orders")
            .Configure(options =>
            {
                maxSeenByApplication = options.Max;
                options.AcquireTimeoutMs = 777;
            });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HostedDb pool = provider.GetRequiredService<HostedDb>();

        PoolOptions options = ((IConfigurablePool)pool).GetOptions();

        Assert.Equal(9, maxSeenByApplication);
        Assert.Equal(9, pool.MaxSeenByConfigurePool);
        Assert.Equal(9, options.Max);
        Assert.Equal(777, options.AcquireTimeoutMs);
        Assert.True(options.ValidateOnReturn);
        Assert.Equal("orders", options.Name);
    }

    [Fact]
    public async Task BindConfiguration_WithAKeyThatNamesNoOption_FailsNamingThePoolAndTheKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Pools:Orders:MaxSize"] = "9" })
            .Build());
        services.AddConnectionPool(_ => new HostedDb(new FakeDatabase())).BindConfiguration("Pools:Orders");
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HostedDb>().Stats);

        Assert.Contains("Pool 'HostedDb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Pools:Orders'", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BindConfiguration_WithAValueOfTheWrongType_FailsNamingThePoolAndTheKey()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Pools:Orders:Max"] = "lots" })
            .Build());
        services.AddConnectionPool(_ => new HostedDb(new FakeDatabase())).BindConfiguration("Pools:Orders");
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HostedDb>().Stats);

        Assert.Contains("Pool 'HostedDb'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pools:Orders:Max", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKeyedConnectionPool_GivesEachKeyItsOwnPoolAndName()
    {
        var services = new ServiceCollection();
        services.AddKeyedConnectionPool<HostedDb>("eu", (_, _) => new HostedDb(new FakeDatabase()));
        services.AddKeyedConnectionPool<HostedDb>("us", (_, _) => new HostedDb(new FakeDatabase()))
            .Configure(options => options.Max = 2);
        await using ServiceProvider provider = services.BuildServiceProvider();

        HostedDb eu = provider.GetRequiredKeyedService<HostedDb>("eu");
        HostedDb us = provider.GetRequiredKeyedService<HostedDb>("us");

        Assert.NotSame(eu, us);
        Assert.Equal("HostedDb[eu]", eu.Stats.Name);
        Assert.Equal("HostedDb[us]", us.Stats.Name);
        Assert.Equal(4, eu.Stats.Max);
        Assert.Equal(2, us.Stats.Max);
    }

    [Fact]
    public void AddConnectionPool_Twice_ThrowsSayingHowToRegisterSeveral()
    {
        var services = new ServiceCollection();
        services.AddConnectionPool(_ => new HostedDb(new FakeDatabase()));

        var error = Assert.Throws<InvalidOperationException>(() => services.AddConnectionPool(_ => new HostedDb(new FakeDatabase())));

        Assert.Contains("HostedDb is already registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddKeyedConnectionPool<HostedDb>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddConnectionPool_WhenTheFactoryReturnsAPoolInUse_SaysSo()
    {
        var services = new ServiceCollection();
        var used = new HostedDb(new FakeDatabase());
        _ = used.Stats;
        services.AddConnectionPool(_ => used);
        await using ServiceProvider provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<HostedDb>());

        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("HostedDb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKeyedPools_CreatesOnePoolPerKeyWithTheContainersFactories()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        var database = new FakeDatabase();
        services.AddKeyedPools<string, HostedDb, FakeConnection, HostedDb.Lease>(
            (_, _) => new HostedDb(database),
            options => options.MaxPools = 3,
            (tenant, options) => options.Max = tenant == "big" ? 4 : 1);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var pools = provider.GetRequiredService<KeyedPools<string, HostedDb, FakeConnection, HostedDb.Lease>>();

        await using (await pools.RentAsync("big"))
        {
        }

        await using (await pools.RentAsync("small"))
        {
        }

        Assert.Equal(new[] { 4, 1 }, pools.GetStats().OrderBy(s => s.Name).Select(s => s.Max));
        var big = (IConfigurablePool)pools.GetPools().Single(p => p.Name == "HostedDb[big]");
        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), big.GetOptions().LoggerFactory);
    }
}
