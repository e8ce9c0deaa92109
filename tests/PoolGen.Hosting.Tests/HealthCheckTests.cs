using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PoolGen.Hosting.Tests.Infrastructure;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests;

/// <summary>Pool health as ASP.NET Core-style health checks, and health in JSON.</summary>
public sealed class HealthCheckTests
{
    [Theory]
    [InlineData(PoolHealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Healthy)]
    [InlineData(PoolHealthStatus.Degraded, HealthStatus.Unhealthy, HealthStatus.Degraded)]
    [InlineData(PoolHealthStatus.Unhealthy, HealthStatus.Unhealthy, HealthStatus.Unhealthy)]
    [InlineData(PoolHealthStatus.Unhealthy, HealthStatus.Degraded, HealthStatus.Degraded)]
    public void ToResult_MapsEachStatusOneToOne_UnhealthyToTheFailureStatus(PoolHealthStatus pool, HealthStatus failureStatus, HealthStatus expected)
    {
        string[] issues = pool == PoolHealthStatus.Healthy ? Array.Empty<string>() : new[] { "First issue.", "Second issue." };
        var health = new PoolHealth(pool, issues, Stats("orders", leased: 3, idle: 1), null, TimeSpan.Zero, 2, null, "TimeoutException: slow");

        HealthCheckResult result = ConnectionPoolHealthCheck.ToResult(health, failureStatus);

        Assert.Equal(expected, result.Status);
        Assert.Equal(
            pool == PoolHealthStatus.Healthy
                ? "Pool 'orders': 3 of Max 10 leased, 1 idle, 0 waiting."
                : "Pool 'orders': First issue. Second issue.",
            result.Description);
        Assert.Equal(3, result.Data["leased"]);
        Assert.Equal(1, result.Data["idle"]);
        Assert.Equal(10, result.Data["max"]);
        Assert.Equal(2, result.Data["consecutiveFailures"]);
        Assert.Equal("TimeoutException: slow", result.Data["lastFailure"]);
    }

    [Fact]
    public async Task AddConnectionPool_ReportsAPoolWhoseDatabaseIsDownAsUnhealthy_WithTheIssue()
    {
        var database = new FakeDatabase { FailWith = new TimeoutException("the database did not answer") };
        await using ServiceProvider provider = Services(database, probe: false);
        HostedDb pool = provider.GetRequiredService<HostedDb>();
        await Assert.ThrowsAnyAsync<Exception>(async () => await pool.RentAsync());

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["HostedDb"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("the database did not answer", entry.Description, StringComparison.Ordinal);
        Assert.Equal(0, entry.Data["total"]);
    }

    [Fact]
    public async Task AddConnectionPool_WithoutProbe_DoesNoIO()
    {
        var database = new FakeDatabase();
        await using ServiceProvider provider = Services(database, probe: false);

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(0, database.OpenCount);
    }

    [Fact]
    public async Task AddConnectionPool_WithProbe_UsesAConnection()
    {
        var database = new FakeDatabase();
        await using ServiceProvider provider = Services(database, probe: true);

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(1, database.OpenCount);
        Assert.Equal(1, report.Entries["HostedDb"].Data["idle"]);
    }

    [Fact]
    public async Task AddConnectionPool_ForAKeyedPool_ChecksThatPool()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var down = new FakeDatabase { FailWith = new InvalidOperationException("down") };
        services.AddKeyedConnectionPool<HostedDb>("eu", (_, _) => new HostedDb(new FakeDatabase()));
        services.AddKeyedConnectionPool<HostedDb>("us", (_, _) => new HostedDb(down));
        services.AddHealthChecks()
            .AddConnectionPool<HostedDb>(serviceKey: "eu", probe: true)
            .AddConnectionPool<HostedDb>(serviceKey: "us", probe: true);
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["HostedDb[eu]"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["HostedDb[us]"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task AddPoolRegistry_ReportsTheWorstPool()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var down = new FakeDatabase { FailWith = new InvalidOperationException("down") };
        string name = $"registry-{Guid.NewGuid():N}";
        services.AddConnectionPool(_ => new HostedDb(down)).Configure(options => options.Name = name);
        services.AddHealthChecks().AddPoolRegistry(failureStatus: HealthStatus.Degraded);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HostedDb pool = provider.GetRequiredService<HostedDb>();
        await pool.CheckHealthAsync();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["pools"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("Unhealthy", entry.Data[name]);
        Assert.Contains(name, entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthStatus_SerializesAsItsName()
    {
        var health = new PoolHealth(PoolHealthStatus.Degraded, new[] { "Exhausted." }, Stats("orders", 10, 0), null, TimeSpan.Zero, 0, null, null);

        string json = JsonSerializer.Serialize(health);

        Assert.Equal("\"Degraded\"", JsonSerializer.Serialize(PoolHealthStatus.Degraded));
        Assert.Contains("\"Status\":\"Degraded\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Leased\":10", json, StringComparison.Ordinal);
        Assert.Equal(PoolHealthStatus.Unhealthy, JsonSerializer.Deserialize<PoolHealthStatus>("\"Unhealthy\""));
    }

    private static ServiceProvider Services(FakeDatabase database, bool probe)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConnectionPool(_ => new HostedDb(database)).Configure(options => options.MaxRetryAttempts = 0);
        services.AddHealthChecks().AddConnectionPool<HostedDb>(probe: probe);
        return services.BuildServiceProvider();
    }

    private static PoolStats Stats(string name, int leased, int idle) =>
        new(name, leased + idle, idle, leased, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
