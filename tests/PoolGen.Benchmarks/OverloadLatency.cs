using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// Overload (<c>--overload</c>): a pool of 4 connections offered about four times the rents it can serve, run with
/// <c>ShedLoad</c> off and on in alternation. 64 asynchronous workers each start a rent every 20 ms (a worker whose
/// rent took longer starts the next at once); a rent may wait 50 ms; a served rent holds its connection 5 ms
/// (<c>Task.Delay</c>), so the pool serves at most about 800 rents a second against 3,200 offered. For each run it
/// prints the successful rents' wait (p50, p99), how many were served, and how long the failed ones took to fail
/// (mean, p99), refusals and timeouts apart. BenchmarkDotNet measures throughput per operation, not distributions
/// under a fixed offered load, so this is a program mode of its own, like <c>--handoff</c>.
/// </summary>
/// <remarks>
/// The hold is 5 ms rather than 1 ms because 64 workers can keep at most 60 rents waiting: at 1 ms a hold, 4
/// connections hand over one every 0.25 ms and the last in line waits about 15 ms, so no rent would come near a 50 ms
/// deadline however the load is offered. At 5 ms a hold the line is served in about 75 ms.
/// </remarks>
internal static class OverloadLatency
{
    private const int Workers = 64;
    private const int PeriodMs = 20;
    private const int HoldMs = 5;
    private const int TimeoutMs = 50;
    private const int Rounds = 2;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(5);

    /// <summary>Runs ShedLoad off, on, off, on and prints one line per run and the on ÷ off ratios.</summary>
    /// <returns>The process exit code, 0.</returns>
    public static int Run()
    {
        Console.WriteLine(
            $"Overload: Max 4, {Workers} workers, a rent every {PeriodMs} ms each, hold {HoldMs} ms, timeout {TimeoutMs} ms; " +
            $"{WarmUp.TotalSeconds:0} s warm-up then {Measured.TotalSeconds:0} s measured per run");
        var results = new List<(bool Shed, Result Result)>();
        for (int round = 0; round < Rounds; round++)
        {
            foreach (bool shed in new[] { false, true })
            {
                Result result = Measure(shed).GetAwaiter().GetResult();
                results.Add((shed, result));
                Console.WriteLine($"ShedLoad {(shed ? "on " : "off")} {result}");
            }
        }

        for (int round = 0; round < Rounds; round++)
        {
            Result off = results[2 * round].Result, on = results[(2 * round) + 1].Result;
            Console.WriteLine(
                $"round {round + 1}, on / off: served {Ratio(on.Served, off.Served)}, success p50 {Ratio(on.SuccessP50Ms, off.SuccessP50Ms)}, " +
                $"success p99 {Ratio(on.SuccessP99Ms, off.SuccessP99Ms)}, time to fail mean {Ratio(on.FailMeanMs, off.FailMeanMs)}, " +
                $"p99 {Ratio(on.FailP99Ms, off.FailP99Ms)}");
        }

        return 0;
    }

    private static string Ratio(double on, double off) => off == 0 ? "n/a" : $"{on / off:0.00}x";

    private static async Task<Result> Measure(bool shed)
    {
        await using var pool = new OverloadFakeConnectionPool(shed);
        long start = Stopwatch.GetTimestamp();
        long measureFrom = start + ToTicks(WarmUp);
        long end = measureFrom + ToTicks(Measured);
        var logs = Enumerable.Range(0, Workers).Select(_ => new WorkerLog()).ToArray();

        // Workers start spread over one period, so the rents arrive evenly rather than 64 at a time.
        await Task.WhenAll(logs.Select((log, i) => Worker(pool, log, start + ToTicks(TimeSpan.FromMilliseconds((double)PeriodMs * i / Workers)), measureFrom, end)));

        PoolStats stats = pool.Stats;
        return new Result(logs, stats.Leased);
    }

    private static async Task Worker(OverloadFakeConnectionPool pool, WorkerLog log, long next, long measureFrom, long end)
    {
        await DelayUntil(next);
        while (Stopwatch.GetTimestamp() < end)
        {
            long began = Stopwatch.GetTimestamp();
            bool counted = began >= measureFrom;
            try
            {
                OverloadFakeConnectionPool.Lease lease = await pool.RentAsync(TimeSpan.FromMilliseconds(TimeoutMs));
                if (counted)
                {
                    log.Successes.Add(Stopwatch.GetTimestamp() - began);
                }

                long held = Stopwatch.GetTimestamp();
                await Task.Delay(HoldMs);
                lease.Dispose();
                if (counted)
                {
                    log.Holds.Add(Stopwatch.GetTimestamp() - held);
                }
            }
            catch (PoolOverloadedException)
            {
                if (counted)
                {
                    log.Refusals.Add(Stopwatch.GetTimestamp() - began);
                }
            }
            catch (PoolTimeoutException)
            {
                if (counted)
                {
                    log.Timeouts.Add(Stopwatch.GetTimestamp() - began);
                }
            }

            // Keep the worker's pace; one that fell behind (a long wait or a timeout) starts its next rent at once.
            next = Math.Max(next + ToTicks(TimeSpan.FromMilliseconds(PeriodMs)), Stopwatch.GetTimestamp());
            await DelayUntil(next);
        }
    }

    private static Task DelayUntil(long timestamp)
    {
        TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return left > TimeSpan.Zero ? Task.Delay(left) : Task.CompletedTask;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static double ToMs(long ticks) => ticks * 1_000.0 / Stopwatch.Frequency;

    /// <summary>One worker's measured rents, in <see cref="Stopwatch"/> ticks; only that worker writes them.</summary>
    private sealed class WorkerLog
    {
        public List<long> Successes { get; } = new();

        public List<long> Refusals { get; } = new();

        public List<long> Timeouts { get; } = new();

        public List<long> Holds { get; } = new();
    }

    /// <summary>One run's rents, merged over the workers.</summary>
    private sealed class Result
    {
        public Result(WorkerLog[] logs, int leasedAtEnd)
        {
            long[] successes = Sorted(logs.SelectMany(l => l.Successes));
            long[] failures = Sorted(logs.SelectMany(l => l.Refusals.Concat(l.Timeouts)));
            Served = successes.Length;
            Refused = logs.Sum(l => l.Refusals.Count);
            TimedOut = logs.Sum(l => l.Timeouts.Count);
            SuccessP50Ms = Percentile(successes, 50);
            SuccessP99Ms = Percentile(successes, 99);
            FailMeanMs = failures.Length == 0 ? 0 : ToMs((long)failures.Average());
            FailP99Ms = Percentile(failures, 99);
            long[] refusals = Sorted(logs.SelectMany(l => l.Refusals));
            RefusalP99Ms = Percentile(refusals, 99);
            long[] holds = logs.SelectMany(l => l.Holds).ToArray();
            HoldMeanMs = holds.Length == 0 ? 0 : ToMs((long)holds.Average());
            LeasedAtEnd = leasedAtEnd;
        }

        public int Served { get; }

        public int Refused { get; }

        public int TimedOut { get; }

        public double SuccessP50Ms { get; }

        public double SuccessP99Ms { get; }

        public double FailMeanMs { get; }

        public double FailP99Ms { get; }

        public double RefusalP99Ms { get; }

        /// <summary>How long a served rent really held its connection: <c>Task.Delay(5)</c> takes longer on a busy machine.</summary>
        public double HoldMeanMs { get; }

        public int LeasedAtEnd { get; }

        public override string ToString() =>
            $"served {Served,5} ({Served / Measured.TotalSeconds,4:0}/s)  wait p50 {SuccessP50Ms,5:0.0} ms  p99 {SuccessP99Ms,5:0.0} ms  |  " +
            $"failed {Refused + TimedOut,5} ({Refused} refused, {TimedOut} timed out)  time to fail mean {FailMeanMs,5:0.00} ms  p99 {FailP99Ms,5:0.00} ms, refusals' p99 {RefusalP99Ms,5:0.000} ms  |  " +
            $"hold {HoldMeanMs:0.0} ms (at most {4 * 1_000 / Math.Max(HoldMeanMs, 0.001):0}/s)  leased at end {LeasedAtEnd}";

        private static long[] Sorted(IEnumerable<long> samples)
        {
            long[] array = samples.ToArray();
            Array.Sort(array);
            return array;
        }

        private static double Percentile(long[] sorted, int percent) =>
            sorted.Length == 0 ? 0 : ToMs(sorted[Math.Min(sorted.Length - 1, sorted.Length * percent / 100)]);
    }
}
