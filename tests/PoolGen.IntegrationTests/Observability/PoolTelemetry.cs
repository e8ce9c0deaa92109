using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace PoolGen.IntegrationTests.Observability;

// This file is the set-up snippet of docs/observability.md, compiled here and used by the end-to-end export test;
// ObservabilityDocTests fails when the two drift apart.
public static class PoolTelemetry
{
    // Connection waits, opens and uses take from a millisecond to a few seconds: the SDK's default buckets, made
    // for milliseconds, would put them all in the first one.
    private static readonly double[] SecondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Connection lifetimes run from seconds to the pool's MaxLifetimeMs (30 minutes by default).
    private static readonly double[] LifetimeBuckets = [1, 10, 60, 300, 900, 1800, 3600];

    public static MeterProviderBuilder AddPoolGen(this MeterProviderBuilder metrics) =>
        metrics
            .AddMeter("PoolGen")
            .AddView("db.client.connection.*_time", new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets })
            .AddView("poolgen.connection.lifetime", new ExplicitBucketHistogramConfiguration { Boundaries = LifetimeBuckets });

    public static TracerProviderBuilder AddPoolGen(this TracerProviderBuilder tracing) =>
        tracing.AddSource("PoolGen");
}
