using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoolGen.Hosting.Tests.Infrastructure;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests;

/// <summary>
/// A real generic host (Microsoft.Extensions.Hosting) with a pool registered through <c>AddConnectionPool</c>: start-up
/// validation, warm-up, health, and graceful stop within the host's shutdown timeout.
/// </summary>
public sealed class HostLifecycleTests
{
    [Fact]
    public async Task Start_WithAnInvalidValueInConfiguration_FailsWithThePoolsMessage_BeforeOtherServicesStart()
    {
        var started = new StartRecorder();
        HostApplicationBuilder builder = Builder(new FakeDatabase(), out _, new() { ["Pools:Orders:AcquireTimeoutMs"] = "-5" });
        builder.Services.AddSingleton<IHostedService>(started);
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("AcquireTimeoutMs of 'HostedDb' is -5", error.Message, StringComparison.Ordinal);
        Assert.Contains("section 'Pools:Orders'", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
        Assert.False(started.Started);
    }

    [Fact]
    public async Task Start_WithWarmUp_OpensMinConnectionsBeforeItReturns()
    {
        var database = new FakeDatabase();
        HostApplicationBuilder builder = Builder(database, out ListLoggerProvider logs, new() { ["Pools:Orders:Min"] = "3" }, warmUp: true);
        using IHost host = builder.Build();

        await host.StartAsync();

        HostedDb pool = host.Services.GetRequiredService<HostedDb>();
        Assert.Equal(3, database.OpenCount);
        Assert.Equal(3, pool.Stats.Idle);
        Assert.Contains(logs.Logger.MessagesOf("PoolWarmedUp"), m => m.Contains("'HostedDb' warmed up at start, with 3 open of Min 3", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WhenWarmUpFails_StartsAnyway_AndHealthSaysWhy()
    {
        var database = new FakeDatabase { FailWith = new TimeoutException("the database did not answer") };
        HostApplicationBuilder builder = Builder(database, out ListLoggerProvider logs, new() { ["Pools:Orders:Min"] = "2", ["Pools:Orders:MaxRetryAttempts"] = "0" }, warmUp: true);
        using IHost host = builder.Build();

        await host.StartAsync();

        Assert.Single(logs.Logger.MessagesOf("PoolWarmUpFailed"));
        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["HostedDb"].Status);
        Assert.Contains("the database did not answer", report.Entries["HostedDb"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_WhenARequiredWarmUpFails_Fails()
    {
        var database = new FakeDatabase { FailWith = new TimeoutException("the database did not answer") };
        HostApplicationBuilder builder = Builder(database, out _, new() { ["Pools:Orders:Min"] = "1", ["Pools:Orders:MaxRetryAttempts"] = "0" }, register: false);
        builder.Services.AddConnectionPool(_ => new HostedDb(database)).BindConfiguration("Pools:Orders").WarmUpOnStart(required: true);
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("could not open its Min connections", error.Message, StringComparison.Ordinal);
        Assert.Contains("the database did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ThroughTheHost_ReportsStatsAsData()
    {
        var database = new FakeDatabase();
        using IHost host = Builder(database, out _, new()).Build();
        await host.StartAsync();
        HostedDb pool = host.Services.GetRequiredService<HostedDb>();
        await using HostedDb.Lease lease = await pool.RentAsync();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["HostedDb"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(1, entry.Data["leased"]);
        Assert.Equal(4, entry.Data["max"]);
        await lease.DisposeAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Stop_WaitsForALeaseToComeBack_ThenClosesEverything()
    {
        var database = new FakeDatabase();
        using IHost host = Builder(database, out _, new()).Build();
        await host.StartAsync();
        HostedDb pool = host.Services.GetRequiredService<HostedDb>();
        HostedDb.Lease lease = await pool.RentAsync();
        using (await pool.RentAsync())
        {
        }

        Task stopping = host.StopAsync();
        await Eventually.True(() => database.Opened.Count(c => c.IsDisposed) == 1, "the idle connection to be closed at stop");
        await Task.Delay(100);

        Assert.False(stopping.IsCompleted);
        Assert.False(lease.Connection.IsDisposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.RentAsync());

        FakeConnection connection = lease.Connection;
        await lease.DisposeAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(connection.IsDisposed);
        Assert.All(database.Opened, c => Assert.Equal(1, c.CloseCount));
    }

    [Fact]
    public async Task Stop_WithALeaseNeverReturned_EndsWithinTheHostsShutdownTimeout()
    {
        var database = new FakeDatabase();
        HostApplicationBuilder builder = Builder(database, out ListLoggerProvider logs, new() { ["Pools:Orders:ShutdownTimeoutMs"] = "60000" });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        using IHost host = builder.Build();
        await host.StartAsync();
        HostedDb pool = host.Services.GetRequiredService<HostedDb>();
        HostedDb.Lease leaked = await pool.RentAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"StopAsync took {clock.Elapsed}");
        Assert.Single(logs.Logger.MessagesOf("PoolShutdownCut"));
        await leaked.DisposeAsync();
        await Eventually.True(() => database.Opened.Single().IsDisposed, "the leaked connection to be closed when it came back");
    }

    [Fact]
    public async Task Stop_WithKeepOpenOnStop_LeavesThePoolToTheContainer()
    {
        var database = new FakeDatabase();
        HostApplicationBuilder builder = Builder(database, out _, new(), register: false);
        builder.Services.AddConnectionPool(_ => new HostedDb(database)).KeepOpenOnStop();
        IHost host = builder.Build();
        await host.StartAsync();
        HostedDb pool = host.Services.GetRequiredService<HostedDb>();
        using (await pool.RentAsync())
        {
        }

        await host.StopAsync();

        using (await pool.RentAsync())
        {
        }

        Assert.False(database.Opened.Single().IsDisposed);
        host.Dispose();
        Assert.True(database.Opened.Single().IsDisposed);
    }

    private static HostApplicationBuilder Builder(
        FakeDatabase database, out ListLoggerProvider logs, Dictionary<string, string?> configuration, bool warmUp = false, bool register = true)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        logs = new ListLoggerProvider();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (register)
        {
            ConnectionPoolBuilder<HostedDb> pool = builder.Services.AddConnectionPool(_ => new HostedDb(database)).BindConfiguration("Pools:Orders");
            if (warmUp)
            {
                pool.WarmUpOnStart();
            }
        }

        builder.Services.AddHealthChecks().AddConnectionPool<HostedDb>();
        return builder;
    }

    private sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
