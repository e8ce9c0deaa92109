using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace PoolGen.Sample.Workload;

/// <summary>
/// Records how long each <c>RentAsync</c> took, from the call to the lease in hand. Each thread appends to a list of
/// its own, so recording adds no contention to the pool being measured.
/// </summary>
public sealed class RentLatency : IDisposable
{
    private readonly ThreadLocal<List<long>> _samples = new(() => new List<long>(1 << 14), trackAllValues: true);

    /// <summary>Records a rent that started at <paramref name="startedTimestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Record(long startedTimestamp) => _samples.Value!.Add(Stopwatch.GetTimestamp() - startedTimestamp);

    /// <summary>Sorts every sample recorded so far; call once the workload has stopped.</summary>
    public LatencySummary Summarize()
    {
        long[] sorted = _samples.Values.SelectMany(list => list).ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted);
    }

    /// <inheritdoc/>
    public void Dispose() => _samples.Dispose();
}
