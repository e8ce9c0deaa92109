using System;
using System.Diagnostics;

namespace PoolGen.Sample.Workload;

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
