using System.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Postgres;

namespace PoolGen.IntegrationTests.Observability;

/// <summary>
/// End to end: the OpenTelemetry SDK, set up as docs/observability.md shows (<see cref="PoolTelemetry"/>) with its
/// in-memory exporters, over a pool of real PostgreSQL connections. The exported
/// points carry the semantic conventions' names, units and attributes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OpenTelemetryExportTests
{
    private readonly PostgresCluster _cluster;
    private readonly string _pool = "otel-" + Guid.NewGuid().ToString("N")[..12];

    public OpenTelemetryExportTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task ThePoolsMetricsAndSpans_ReachTheExporters_UnderTheConventionsNames()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        using (MeterProvider meters = Sdk.CreateMeterProviderBuilder().AddPoolGen().AddInMemoryExporter(metrics).Build())
        using (TracerProvider tracer = Sdk.CreateTracerProviderBuilder().AddPoolGen().AddInMemoryExporter(spans).Build())
        {
            await using var pool = new NamedPostgresPool(_cluster.ConnectionStringFor(_pool), _pool);

            // Two connections opened; a third rent waits for one of them; every rent validates with a round trip.
            NamedPostgresPool.Lease first = await pool.RentAsync(limit.Token);
            NamedPostgresPool.Lease second = await pool.RentAsync(limit.Token);
            Task<NamedPostgresPool.Lease> third = pool.RentAsync(limit.Token).AsTask();
            await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats.Pending), pending => pending == 1);
            await Task.Delay(50, limit.Token);
            await first.DisposeAsync();
            await using (NamedPostgresPool.Lease served = await third)
            {
                await using NpgsqlCommand command = served.Connection.CreateCommand();
                command.CommandText = "SELECT 1";
                Assert.Equal(1, await command.ExecuteScalarAsync(limit.Token));
            }

            await second.DisposeAsync();
            meters.ForceFlush();
        }

        MetricSnapshot[] ours = metrics.Where(m => m.MetricPoints.Any(p => PoolOf(p) == _pool)).ToArray();
        string[] names = ours.Select(m => m.Name).Distinct().Order().ToArray();
        Assert.Superset(
            new HashSet<string>
            {
                "db.client.connection.count", "db.client.connection.idle.max", "db.client.connection.idle.min",
                "db.client.connection.max", "db.client.connection.pending_requests", "db.client.connection.timeouts",
                "db.client.connection.create_time", "db.client.connection.wait_time", "db.client.connection.use_time",
                "poolgen.connection.rents", "poolgen.connection.waits", "poolgen.connection.closes",
            },
            names.ToHashSet());

        MetricSnapshot count = Latest(ours, "db.client.connection.count");
        Assert.Equal("{connection}", count.Unit);
        var states = count.MetricPoints.Where(p => PoolOf(p) == _pool).ToDictionary(p => Tag(p, "db.client.connection.state") ?? "(none)", p => p.GetSumLong());
        Assert.Equal(new Dictionary<string, long> { ["idle"] = 2, ["used"] = 0 }, states);

        MetricSnapshot createTime = Latest(ours, "db.client.connection.create_time");
        Assert.Equal("s", createTime.Unit);
        MetricPoint creates = createTime.MetricPoints.Single(p => PoolOf(p) == _pool);
        Assert.Equal(2, creates.GetHistogramCount());
        Assert.True(creates.GetHistogramSum() > 0, "opening a PostgreSQL connection takes time");

        var bounds = new List<double>();
        foreach (HistogramBucket bucket in creates.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal(0.001, bounds[0]);

        MetricPoint waits = Latest(ours, "db.client.connection.wait_time").MetricPoints.Single(p => PoolOf(p) == _pool);
        Assert.Equal(3, waits.GetHistogramCount());
        Assert.True(waits.GetHistogramSum() >= 0.04, $"the third rent waited at least 50 ms, the sum is {waits.GetHistogramSum()} s");

        Assert.Equal(1, Latest(ours, "poolgen.connection.waits").MetricPoints.Single(p => PoolOf(p) == _pool).GetSumLong());

        Activity[] ourSpans = spans.Where(s => Equals(s.GetTagItem("db.client.connection.pool.name"), _pool)).ToArray();
        Assert.Equal(2, ourSpans.Count(s => s.OperationName == "poolgen.connection.open"));
        Assert.True(ourSpans.Count(s => s.OperationName == "poolgen.connection.validate") >= 1, "the validator's round trips are spans");
        // Three rents found no idle connection: two opened one (their open is their child), the third waited.
        Activity[] waitSpans = ourSpans.Where(s => s.OperationName == "poolgen.rent.wait").ToArray();
        Assert.Equal(3, waitSpans.Length);
        Assert.All(waitSpans, w => Assert.Equal(ActivityStatusCode.Unset, w.Status));
        Activity waited = Assert.Single(waitSpans, w => !ourSpans.Any(s => s.ParentSpanId == w.SpanId));
        Assert.True(waited.Duration >= TimeSpan.FromMilliseconds(40), $"the third rent waited {waited.Duration}");
    }

    private static MetricSnapshot Latest(IEnumerable<MetricSnapshot> metrics, string name) => metrics.Last(m => m.Name == name);

    private static string? PoolOf(MetricPoint point) => Tag(point, "db.client.connection.pool.name");

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}

/// <summary>A pool over PostgreSQL whose name the test chooses, so that its metric points can be told from other tests'.</summary>
[ConnectionPool(Max = 2, Validate = nameof(RespondsAsync), ValidateAfterIdleMs = 0)]
public sealed partial class NamedPostgresPool
{
    private readonly string _connectionString;
    private readonly string _name;

    public NamedPostgresPool(string connectionString, string name) => (_connectionString, _name) = (connectionString, name);

    partial void ConfigurePool(PoolOptions options) => options.Name = _name;

    private ValueTask<NpgsqlConnection> CreateAsync(CancellationToken cancellationToken) =>
        PostgresConnections.OpenAsync(_connectionString, cancellationToken);

    private static ValueTask<bool> RespondsAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        PostgresProbe.RespondsAsync(connection, cancellationToken);
}
