using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PoolGen.Hosting;

namespace PoolGen.WebSample;

/// <summary>Builds the web application; the integration test builds it the same way, on a free port.</summary>
public static class WebSampleApp
{
    /// <summary>The application with its pool, health checks, metrics and endpoints, not yet started.</summary>
    /// <param name="args">Command-line arguments, such as <c>--urls http://127.0.0.1:5081</c>.</param>
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(
            new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // The pool: one instance, options from "Pools:Orders", checked and warmed up at start, closed gracefully at stop.
        builder.Services
            .AddConnectionPool(_ => new OrdersDb(builder.Configuration.GetConnectionString("Orders")!))
            .BindConfiguration("Pools:Orders")
            .WarmUpOnStart();
        builder.Services.AddHealthChecks().AddConnectionPool<OrdersDb>(tags: new[] { "ready" });

        // PoolGen's meter is "PoolGen": its db.client.connection.* instruments, in Prometheus's text format at /metrics.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("PoolGen.WebSample"))
            .WithMetrics(metrics => metrics.AddMeter("PoolGen").AddPrometheusExporter());

        WebApplication app = builder.Build();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/pools", (PoolRegistry registry) => registry.GetHealth());
        app.MapGet("/orders/count", CountOrdersAsync);
        return app;
    }

    private static async Task<IResult> CountOrdersAsync(OrdersDb db, CancellationToken cancellationToken)
    {
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        await using SqliteCommand command = lease.Connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY); SELECT COUNT(*) FROM orders";
        long count = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return Results.Ok(new { orders = count });
    }

    // The status, and each check's status, description and data, as JSON rather than the one word the default writes.
    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description, data = entry.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
