using System;

namespace PoolGen.Sample.Workload;

/// <summary>
/// The overload mode (<c>--overload</c>): far more workers than connections, short deadlines, and a pool set up for it:
/// it sizes itself between 1 and 16, serves waiting rents by priority, and refuses at once the rents it could not
/// serve in time instead of letting them wait out their deadline.
/// </summary>
internal static class OverloadSettings
{
    /// <summary>Workers when <c>--workers</c> is not given.</summary>
    public const int Workers = 128;

    /// <summary>Out of 100 operations: checkouts at High priority, reports at Low, the rest Normal.</summary>
    public const int HighPercent = 10, LowPercent = 30;

    /// <summary>The pool's settings in overload mode.</summary>
    public static void Apply(PoolOptions options)
    {
        options.Min = 1;
        options.Max = 16;
        options.AutoSize = true;
        options.ShedLoad = true;
        options.MaxPendingRents = 256;
        options.AcquireTimeoutMs = 250;
    }

    /// <summary>The priority of an operation drawn as <paramref name="pick"/> out of 100.</summary>
    public static PoolPriority PriorityOf(int pick) =>
        pick < HighPercent ? PoolPriority.High : pick < HighPercent + LowPercent ? PoolPriority.Low : PoolPriority.Normal;
}
