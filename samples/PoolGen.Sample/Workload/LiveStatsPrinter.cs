using System;
using System.Diagnostics;

namespace PoolGen.Sample.Workload;

/// <summary>
/// Prints one line of the pool's state about twice a second while the workload runs: a small dashboard, which needs only
/// <see cref="IConnectionPool"/>.
/// </summary>
internal sealed class LiveStatsPrinter
{
    /// <summary>How often a line is printed, in milliseconds.</summary>
    public const int IntervalMs = 500;

    private readonly IConnectionPool _pool;
    private readonly OperationCounters _counters;
    private readonly long _started;
    private long _lastPrinted;
    private long _lastOperations;
    private string _lastIssues = "";

    public LiveStatsPrinter(IConnectionPool pool, OperationCounters counters, long started)
    {
        _pool = pool;
        _counters = counters;
        _started = started;
        _lastPrinted = started;
        Console.WriteLine("   time  total  idle  leased  pending      rents      waits    ops/s  health");
    }

    /// <summary>Prints a line if at least an interval has passed since the last one.</summary>
    public void PrintIfDue()
    {
        long now = Stopwatch.GetTimestamp();
        double sinceLast = Stopwatch.GetElapsedTime(_lastPrinted, now).TotalSeconds;
        if (sinceLast * 1000 < IntervalMs * 0.9)
        {
            return;
        }

        Print(now, sinceLast);
    }

    /// <summary>Prints the final line, so the table ends with the pool's state after the last operation.</summary>
    public void PrintFinal() => Print(Stopwatch.GetTimestamp(), Stopwatch.GetElapsedTime(_lastPrinted).TotalSeconds);

    private void Print(long now, double sinceLast)
    {
        PoolStats stats = _pool.Stats;
        long operations = _counters.Total;
        double rate = sinceLast > 0 ? (operations - _lastOperations) / sinceLast : 0;
        _lastPrinted = now;
        _lastOperations = operations;
        PoolHealth health = _pool.GetHealth();
        Console.WriteLine(
            $"{Stopwatch.GetElapsedTime(_started, now).TotalSeconds,6:0.0}s {stats.Total,6} {stats.Idle,5} {stats.Leased,7} {stats.Pending,8} {stats.Rents,10:N0} {stats.Waits,10:N0} {rate,8:N0}  {health.Status}");

        // Issues change rarely; print them when they do, so the table stays readable.
        string issues = string.Join(" ", health.Issues);
        if (issues != _lastIssues)
        {
            _lastIssues = issues;
            if (issues.Length > 0)
            {
                Console.WriteLine($"         {issues}");
            }
        }
    }
}
