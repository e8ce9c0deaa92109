using System;

namespace PoolGen.Sample.Workload;

/// <summary>What a workload run did.</summary>
/// <param name="Workers">Concurrent workers.</param>
/// <param name="Elapsed">Wall-clock time from the first worker's start to the last one's end.</param>
/// <param name="Counters">Operations served and refused, by priority.</param>
/// <param name="WaitP50Ms">The median time a rent took to get its connection, as the pool's wait_time histogram has it.</param>
/// <param name="WaitP99Ms">The 99th percentile of that time.</param>
/// <param name="WaitsMeasured">How many rents the histogram recorded.</param>
internal sealed record WorkloadResult(
    int Workers, TimeSpan Elapsed, OperationCounters Counters, double WaitP50Ms, double WaitP99Ms, int WaitsMeasured)
{
    public long Reads => Counters.Reads;

    public long Writes => Counters.Writes;

    public long Operations => Reads + Writes;

    public double OperationsPerSecond => Operations / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
