using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using PoolGen.Sample.Data;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace PoolGen.Sample.Workload;

/// <summary>
/// Shows the pool while the workload runs, a few times a second: in a terminal, a live Spectre.Console view (the
/// pool's connections as a bar, rents per second, the pool's own p50/p99 wait, refusals, health, issues and advice);
/// when the output is redirected (CI, a file), one plain line every half second. It needs only <see cref="IConnectionPool"/>.
/// </summary>
internal sealed class LiveView
{
    private const int RefreshMs = 250, PlainLineMs = 500;

    private readonly IOrderStore _store;
    private readonly OperationCounters _counters;
    private readonly WaitTimes _waits;
    private readonly bool _overload;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastAt;
    private long _lastRents;
    private double _rentsPerSecond;

    private LiveView(IOrderStore store, OperationCounters counters, WaitTimes waits, bool overload)
    {
        _store = store;
        _counters = counters;
        _waits = waits;
        _overload = overload;
        _lastAt = _started;
    }

    /// <summary>Whether the live view can draw: a terminal that takes cursor movement.</summary>
    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Shows the pool until <paramref name="run"/> ends, then once more as it stands after the last operation.</summary>
    public static async Task ShowUntilAsync(Task run, IOrderStore store, OperationCounters counters, WaitTimes waits, bool overload)
    {
        var view = new LiveView(store, counters, waits, overload);
        if (Interactive)
        {
            await AnsiConsole.Live(view.Render()).AutoClear(false).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(RefreshMs));
                    context.UpdateTarget(view.Render());
                }
            });
            return;
        }

        Console.WriteLine("   time  total  idle  leased  pending    rents/s  wait p99    shed  health");
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(PlainLineMs));
            view.PrintLine();
        }
    }

    private IRenderable Render()
    {
        PoolStats stats = Sample();
        PoolHealth health = _store.Pool.GetHealth();
        var pools = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]PoolGen[/] sample: {Markup.Escape(_store.Database)}, {Elapsed:0.0} s")
            .AddColumns("pool", "connections: [green]leased[/] [grey]idle[/] [red]waiting[/]", "rents/s", "wait p50", "wait p99", "refused", "health");
        pools.AddRow(
            Markup.Escape(stats.Name),
            Bars(stats),
            $"{_rentsPerSecond:N0}",
            Duration(_waits.LatestMs(50)),
            Duration(_waits.LatestMs(99)),
            $"{stats.Shed + stats.Timeouts:N0}",
            Status(health.Status));

        var parts = new System.Collections.Generic.List<IRenderable> { pools };
        if (_overload)
        {
            var priorities = new Table().Border(TableBorder.Simple).AddColumns("priority", "served", "refused", "refused share");
            foreach (PoolPriority priority in new[] { PoolPriority.High, PoolPriority.Normal, PoolPriority.Low })
            {
                long served = _counters.Served(priority), refused = _counters.Refused(priority);
                priorities.AddRow(priority.ToString(), $"{served:N0}", $"{refused:N0}", Percent(refused, served + refused));
            }

            parts.Add(priorities);
        }

        foreach (string line in health.Issues.Concat(health.Advice.Select(a => "advice: " + a.Message)))
        {
            parts.Add(new Markup($"[yellow]{Markup.Escape(line)}[/]"));
        }

        return new Rows(parts);
    }

    private void PrintLine()
    {
        PoolStats stats = Sample();
        Console.WriteLine(
            $"{Elapsed,6:0.0}s {stats.Total,6} {stats.Idle,5} {stats.Leased,7} {stats.Pending,8} {_rentsPerSecond,10:N0} {Duration(_waits.LatestMs(99)),9} {stats.Shed + stats.Timeouts,7:N0}  {_store.Pool.GetHealth().Status}");
    }

    /// <summary>Reads the pool, and the rents per second and waits since the last look.</summary>
    private PoolStats Sample()
    {
        PoolStats stats = _store.Pool.Stats;
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(_lastAt, now).TotalSeconds;
        if (seconds > 0)
        {
            _rentsPerSecond = (stats.Rents - _lastRents) / seconds;
        }

        (_lastAt, _lastRents) = (now, stats.Rents);
        _waits.Collect();
        return stats;
    }

    private double Elapsed => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    private static string Bars(PoolStats stats) =>
        $"[green]{new string('█', stats.Leased)}[/][grey]{new string('█', stats.Idle)}[/][red]{new string('░', Math.Min(stats.Pending, 40))}[/]" +
        $" {stats.Leased} leased, {stats.Idle} idle, {stats.Pending} waiting (Max {stats.Max})";

    private static string Status(PoolHealthStatus status) => status switch
    {
        PoolHealthStatus.Healthy => "[green]Healthy[/]",
        PoolHealthStatus.Degraded => "[yellow]Degraded[/]",
        _ => "[red]Unhealthy[/]",
    };

    private static string Percent(long part, long whole) => whole == 0 ? "-" : $"{100.0 * part / whole:0.0} %";

    /// <summary>Microseconds below a millisecond: an uncontended rent takes well under one.</summary>
    public static string Duration(double ms) => ms < 1 ? $"{ms * 1000:0} µs" : $"{ms:0.0} ms";
}
