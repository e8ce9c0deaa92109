using System;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Workload;

/// <summary>Prints what a run did: throughput, the pool's counters and the time rents spent waiting.</summary>
internal static class SummaryPrinter
{
    public static void Print(string database, WorkloadResult result, PoolStats stats, PoolHealth health, (long Orders, long Counted) consistency)
    {
        LatencySummary rents = result.RentLatency;
        double waitPercent = stats.Rents == 0 ? 0 : 100.0 * stats.Waits / stats.Rents;
        Console.WriteLine();
        Console.WriteLine($"Summary: {database}, {result.Workers} workers, pool '{stats.Name}' Min {stats.Min} Max {stats.Max}, {result.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"  operations   {result.Operations,10:N0}   {result.OperationsPerSecond:N0}/s ({result.Reads:N0} reads, {result.Writes:N0} writes)");
        Console.WriteLine($"  rents        {stats.Rents,10:N0}   waits {stats.Waits:N0} ({waitPercent:0.0}% of rents)");
        Console.WriteLine($"  RentAsync    p50 {Duration(rents.PercentileMs(50))}   p99 {Duration(rents.PercentileMs(99))}   max {Duration(rents.MaxMs)}   ({rents.Count:N0} measured)");
        Console.WriteLine($"  connections  created {stats.Created}, closed {stats.Closed}, open {stats.Total}");
        Console.WriteLine($"  failures     timeouts {stats.Timeouts}, create {stats.CreateFailures}, validation {stats.ValidationFailures}, broken {stats.Broken}, stale disposals {stats.StaleDisposals}");
        Console.WriteLine($"  health       {health.Status} (check took {health.CheckDuration.TotalMilliseconds:0.0} ms){(health.IsHealthy ? "" : ": " + string.Join(" ", health.Issues))}");
        Console.WriteLine($"  consistency  {consistency.Orders:N0} orders, {consistency.Counted:N0} counted by customers");
    }

    /// <summary>Microseconds below a millisecond: an uncontended rent takes well under one.</summary>
    private static string Duration(double ms) => ms < 1 ? $"{ms * 1000:0.0} µs" : $"{ms:0.00} ms";
}
