using System;
using System.Collections.Generic;
using System.Globalization;

namespace PoolGen;

/// <summary>
/// Turns a pool's recent load into advice, with the numbers in each sentence. A pure function of the load, so each
/// rule can be tested against a scripted one.
/// </summary>
internal static class PoolAdvisor
{
    /// <summary>Less load than this, or a shorter window, says too little to advise on.</summary>
    public const double MinimumRentsPerSecond = 1;

    /// <summary>The shortest window that can show that connections sat idle.</summary>
    public static readonly TimeSpan IdleWindow = TimeSpan.FromMinutes(5);

    /// <summary>A mean hold from which leases count as held long.</summary>
    public static readonly TimeSpan LongHold = TimeSpan.FromSeconds(1);

    /// <summary>The advice for <paramref name="load"/>; empty when there is none, or too little load to tell.</summary>
    public static IReadOnlyList<PoolAdvice> Advise(PoolLoad? load)
    {
        var advice = new List<PoolAdvice>();
        if (load is null || load.Window < TimeSpan.FromSeconds(10) || load.RentsPerSecond < MinimumRentsPerSecond)
        {
            return advice;
        }

        // Little's law: the connections in use on average are the rent rate times the mean hold. When that, with the
        // rents waiting, reaches Max and rents wait, Max is what limits the pool.
        int needed = load.NeededConnections;
        if (load.WaitedShare >= 0.01 && needed >= load.Max)
        {
            int suggested = Math.Max(load.Max + 1, (int)Math.Ceiling(Math.Max(needed, load.PeakDemand) * 1.2));
            advice.Add(new PoolAdvice(
                PoolAdviceKind.MaxTooSmall,
                $"Max is too small for the load: at {Number(load.RentsPerSecond, "N0")} rents/s and {Ms(load.MeanHold)} mean hold " +
                $"time the pool needs about {Number(needed)} connections, has {Number(load.Max)}, and rents wait " +
                $"{Ms(load.WaitP99)} at p99 ({Percent(load.WaitedShare)} of rents wait). Raise Max to about {Number(suggested)} " +
                "if the database can take it, or hold leases for less time.",
                suggested));
        }
        else if (load.Window >= IdleWindow && load.PeakDemand * 2 < load.Max && load.Utilisation < 0.5)
        {
            int suggested = Math.Max(1, (int)Math.Ceiling(load.PeakDemand * 1.2));
            advice.Add(new PoolAdvice(
                PoolAdviceKind.MaxTooLarge,
                $"Most connections sat idle over the last {Minutes(load.Window)}: at most {Number(load.PeakDemand)} were wanted at " +
                $"once, against Max {Number(load.Max)}, and the open ones were leased {Percent(load.Utilisation)} of the time. " +
                $"Max {Number(suggested)} would serve the peak seen, and leave the database's connections to others.",
                suggested));
        }

        if (load.MeanHold >= LongHold)
        {
            advice.Add(new PoolAdvice(
                PoolAdviceKind.LongHolds,
                $"Leases are held long: {Ms(load.MeanHold)} on average at {Number(load.RentsPerSecond, "N1")} rents/s, which keeps " +
                $"{Number(load.MeanDemand, "N1")} connections busy. Look for work done while holding a connection (remote calls, " +
                "waiting on other locks, streaming results to a slow client) and rent later or return sooner."));
        }

        return advice;
    }

    private static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ms(TimeSpan time) =>
        time.TotalMilliseconds >= 10 ? Number(time.TotalMilliseconds) + " ms" : Number(time.TotalMilliseconds, "0.0") + " ms";

    private static string Percent(double share) => Number(share * 100, "0.#") + " %";

    private static string Minutes(TimeSpan window) =>
        window.TotalMinutes >= 1.5 ? Number(Math.Round(window.TotalMinutes)) + " minutes" : Number(window.TotalSeconds) + " seconds";
}
