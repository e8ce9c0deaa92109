using System;

namespace PoolGen;

/// <summary>The size rules shared by <see cref="PoolOptions.Validate"/> and the runtime <c>Resize</c>.</summary>
internal static class PoolLimits
{
    /// <summary>The largest Max a pool accepts; beyond it a pool is almost certainly misconfigured.</summary>
    public const int MaxSupported = 1 << 20;

    public static void CheckSizes(string pool, int min, int max)
    {
        if (max < 1 || max > MaxSupported)
        {
            throw new ArgumentOutOfRangeException(
                "max",
                max,
                $"Pool '{pool}': Max is {max}, but it must be between 1 and {MaxSupported}. Max bounds the open connections; pick the number the database can serve at once.");
        }

        if (min < 0 || min > max)
        {
            throw new ArgumentOutOfRangeException(
                "min",
                min,
                $"Pool '{pool}': Min is {min} and Max is {max}, but Min must be between 0 and Max. Lower Min or raise Max.");
        }
    }
}
