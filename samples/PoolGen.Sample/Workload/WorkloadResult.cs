using System;

namespace PoolGen.Sample.Workload;

/// <summary>What a workload run did.</summary>
/// <param name="Workers">Concurrent workers.</param>
/// <param name="Elapsed">Wall-clock time from the first worker's start to the last one's end.</param>
/// <param name="Reads">Read operations completed.</param>
/// <param name="Writes">Orders placed.</param>
/// <param name="RentLatency">How long each <c>RentAsync</c> took.</param>
internal sealed record WorkloadResult(int Workers, TimeSpan Elapsed, long Reads, long Writes, LatencySummary RentLatency)
{
    public long Operations => Reads + Writes;

    public double OperationsPerSecond => Operations / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
