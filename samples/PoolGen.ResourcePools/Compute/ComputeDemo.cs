using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using PoolGen.ResourcePools.Shared;

namespace PoolGen.ResourcePools.Compute;

/// <summary>
/// Shows the compute slots: a burst larger than the queue bound, served by priority with the excess refused at once,
/// then a sustained overload where load shedding refuses the jobs that could not start in time.
/// </summary>
public static class ComputeDemo
{
    private static readonly TimeSpan JobTime = TimeSpan.FromMilliseconds(10);

    /// <summary>How many more jobs than slots the burst sends: 8 can wait, the rest are refused, on any machine.</summary>
    private const int BurstBeyondSlots = 32;

    /// <summary>Runs both scenes with <paramref name="degree"/> slots and prints what happened; true when every promise held.</summary>
    public static async Task<bool> RunAsync(int degree)
    {
        Console.WriteLine($"Compute: {degree} slots, a burst of {degree + BurstBeyondSlots} jobs of 20 ms at once, MaxPendingRents 8");
        bool burst = await BurstAsync(degree);
        Console.WriteLine();
        Console.WriteLine($"Compute: {degree} slots, 2 s of jobs of {JobTime.TotalMilliseconds:0} ms arriving at 3x what the slots can run, deadline 200 ms, ShedLoad on");
        bool overload = await OverloadAsync(degree);
        return burst && overload;
    }

    /// <summary>Jobs of mixed priority submitted in one loop: the first take the slots, 8 queue, the rest are refused.</summary>
    private static async Task<bool> BurstAsync(int degree)
    {
        await using var slots = new ComputeSlots(degree, maxPendingJobs: 8, shedLoad: false);
        var order = new ServiceOrder();
        var tally = new JobTally();
        PoolPriority[] priorities = [PoolPriority.Low, PoolPriority.Normal, PoolPriority.High, PoolPriority.Critical];
        var jobs = new List<Task>();
        for (int i = 0; i < degree + BurstBeyondSlots; i++)
        {
            PoolPriority priority = priorities[i % priorities.Length];
            jobs.Add(tally.TrackAsync(() => slots.RunAsync(
                () =>
                {
                    order.Served(priority.ToString());
                    return CpuJob.Hash(TimeSpan.FromMilliseconds(20));
                },
                priority,
                TimeSpan.FromSeconds(5))));
        }

        await Task.WhenAll(jobs);
        IReadOnlyList<string> served = order.Snapshot();
        Console.WriteLine($"  {tally}");
        Console.WriteLine($"  started at once: {InRuns(served.Take(degree))}");
        Console.WriteLine($"  then from the queue: {InRuns(served.Skip(degree))}");
        return Check(slots, tally, tally.RefusedQueueFull > 0);
    }

    /// <summary>Jobs arrive faster than the slots run them; each may wait 200 ms. Shedding refuses the hopeless ones at once.</summary>
    private static async Task<bool> OverloadAsync(int degree)
    {
        await using var slots = new ComputeSlots(degree, maxPendingJobs: 64, shedLoad: true);
        var tally = new JobTally();
        var jobs = new List<Task>();
        double perSecond = 3 * degree * (1000 / JobTime.TotalMilliseconds);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            // Submits every job due by now: timers tick coarsely, so arrivals are counted against the clock.
            for (int due = (int)(clock.Elapsed.TotalSeconds * perSecond); jobs.Count < due;)
            {
                jobs.Add(tally.TrackAsync(() => slots.RunAsync(() => CpuJob.Hash(JobTime), PoolPriority.Normal, TimeSpan.FromMilliseconds(200))));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(jobs);
        PoolStats stats = slots.Stats;
        Console.WriteLine($"  {tally}");
        Console.WriteLine($"  pool: {stats.Rents} rents, {stats.Waits} waited, {stats.Shed} shed, {stats.Timeouts} timed out; leased now {stats.Leased}");
        return Check(slots, tally, tally.RefusedShed + tally.RefusedQueueFull > 0);
    }

    /// <summary>The list in order, a run of equal entries written once with its length: "High x2, Normal, Low x3".</summary>
    private static string InRuns(IEnumerable<string> items)
    {
        var runs = new List<(string Item, int Count)>();
        foreach (string item in items)
        {
            if (runs.Count > 0 && runs[^1].Item == item)
            {
                runs[^1] = (item, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((item, 1));
            }
        }

        return string.Join(", ", runs.Select(run => run.Count == 1 ? run.Item : $"{run.Item} x{run.Count}"));
    }

    private static bool Check(ComputeSlots slots, JobTally tally, bool refusedSome)
    {
        bool ok = tally.AddsUp && refusedSome && slots.SlotsCreated <= slots.Degree && slots.Stats.Leased == 0;
        if (!ok)
        {
            Console.WriteLine($"  UNEXPECTED: slots made {slots.SlotsCreated} of {slots.Degree}, leased {slots.Stats.Leased}, outcomes add up: {tally.AddsUp}, refused any: {refusedSome}");
        }

        return ok;
    }
}
