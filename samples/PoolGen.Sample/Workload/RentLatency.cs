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

/// <summary>Sorted rent durations, in <see cref="Stopwatch"/> ticks.</summary>
/// <param name="SortedTicks">The durations, ascending.</param>
public sealed record LatencySummary(long[] SortedTicks)
{
    /// <summary>How many rents were measured.</summary>
    public int Count => SortedTicks.Length;

    /// <summary>The duration below which <paramref name="percent"/> of the rents finished, in milliseconds.</summary>
    public double PercentileMs(double percent)
    {
        if (SortedTicks.Length == 0)
        {
            return 0;
        }

        int index = (int)Math.Ceiling(percent / 100 * SortedTicks.Length) - 1;
        return ToMs(SortedTicks[Math.Clamp(index, 0, SortedTicks.Length - 1)]);
    }

    /// <summary>The longest rent, in milliseconds.</summary>
    public double MaxMs => SortedTicks.Length == 0 ? 0 : ToMs(SortedTicks[^1]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
