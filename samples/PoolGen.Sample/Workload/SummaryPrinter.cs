using System;
using PoolGen.Sample.Data;
using Spectre.Console;

namespace PoolGen.Sample.Workload;

/// <summary>Prints what a run did: throughput, the pool's counters and the time rents spent waiting; a table in a terminal, lines otherwise.</summary>
internal static class SummaryPrinter
{
    public static void Print(string database, WorkloadResult result, PoolStats stats, PoolHealth health, (long Orders, long Counted) consistency)
    {
        double waitPercent = stats.Rents == 0 ? 0 : 100.0 * stats.Waits / stats.Rents;
        (string Name, string Value)[] rows =
        [
            ("run", $"{database}, {result.Workers} workers, pool '{stats.Name}' Min {stats.Min} Max {stats.Max}, {result.Elapsed.TotalSeconds:0.0} s"),
            ("operations", $"{result.Operations:N0}, {result.OperationsPerSecond:N0}/s ({result.Reads:N0} reads, {result.Writes:N0} writes)"),
            ("rents", $"{stats.Rents:N0}, waits {stats.Waits:N0} ({waitPercent:0.0}% of rents)"),
            ("wait", $"p50 {LiveView.Duration(result.WaitP50Ms)}, p99 {LiveView.Duration(result.WaitP99Ms)} ({result.WaitsMeasured:N0} rents, from the pool's wait_time histogram)"),
            ("refused", $"{stats.Shed:N0} shed at once, {stats.Timeouts:N0} timed out; by priority: High {result.Counters.Refused(PoolPriority.High):N0}, Normal {result.Counters.Refused(PoolPriority.Normal):N0}, Low {result.Counters.Refused(PoolPriority.Low):N0}"),
            ("connections", $"created {stats.Created}, closed {stats.Closed}, open {stats.Total}"),
            ("failures", $"create {stats.CreateFailures}, validation {stats.ValidationFailures}, broken {stats.Broken}, stale disposals {stats.StaleDisposals}"),
            ("health", $"{health.Status} (check took {health.CheckDuration.TotalMilliseconds:0.0} ms){(health.IsHealthy ? "" : ": " + string.Join(" ", health.Issues))}"),
            ("consistency", $"{consistency.Orders:N0} orders, {consistency.Counted:N0} counted by customers"),
        ];

        Console.WriteLine();
        if (LiveView.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Summary[/]").AddColumns("", "");
            table.ShowHeaders = false;
            foreach ((string name, string value) in rows)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            AnsiConsole.Write(table);
        }
        else
        {
            Console.WriteLine("Summary:");
            foreach ((string name, string value) in rows)
            {
                Console.WriteLine($"  {name,-12} {value}");
            }
        }

        foreach (PoolAdvice advice in health.Advice)
        {
            Console.WriteLine($"  advice: {advice.Message}");
        }
    }
}
