using System.Diagnostics;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// Reads a pool's stats on a background task, every few milliseconds, until disposed, and records every snapshot that
/// breaks a rule that holds at any instant however busy the pool is. A snapshot is not atomic (the gauges are read one
/// after another), so only rules that survive that are checked here: no gauge is negative, the open and opening
/// connections never exceed Max (<c>Total + Opening</c> reads the reservation count, which Max bounds), neither do the
/// idle and leased slots, <c>Created − Closed</c> never exceeds Max (Created is read first and only grows), and counters
/// never go back. Rules that need a quiet pool (<c>Total == Idle + Leased</c>) are the tests' own, at quiet moments.
/// </summary>
internal sealed class StatsWatch : IAsyncDisposable
{
    private readonly Func<PoolStats> _read;
    private readonly int _max;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _violations = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private PoolStats? _previous;

    private StatsWatch(Func<PoolStats> read, int max)
    {
        _read = read;
        _max = max;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Snapshots taken so far.</summary>
    public int Samples { get; private set; }

    /// <summary>The most connections a snapshot showed leased.</summary>
    public int MostLeased { get; private set; }

    /// <summary>Rule violations seen, each with the time since the watch started and the snapshot.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    public static StatsWatch Start(Func<PoolStats> read, int max) => new(read, max);

    /// <summary>Stops sampling (after one last snapshot) and returns the violations seen.</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            await _loop;
            Check(_read());
        }

        return Violations;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Check(_read());
            try
            {
                await Task.Delay(2, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private void Check(PoolStats s)
    {
        Samples++;
        MostLeased = Math.Max(MostLeased, s.Leased);
        if (s.Total < 0 || s.Idle < 0 || s.Leased < 0 || s.Opening < 0 || s.Pending < 0)
        {
            Record("a gauge is negative", s);
        }

        if (s.Total + s.Opening > _max)
        {
            Record($"Total + Opening = {s.Total + s.Opening} exceeds Max {_max}", s);
        }

        if (s.Idle + s.Leased > _max)
        {
            Record($"Idle + Leased = {s.Idle + s.Leased} exceeds Max {_max}", s);
        }

        if (s.Created - s.Closed > _max)
        {
            Record($"Created - Closed = {s.Created - s.Closed} exceeds Max {_max}", s);
        }

        if (_previous is { } p
            && (s.Created < p.Created || s.Closed < p.Closed || s.CreateFailures < p.CreateFailures
                || s.ValidationFailures < p.ValidationFailures || s.Timeouts < p.Timeouts || s.Cancellations < p.Cancellations
                || s.Rents < p.Rents || s.Waits < p.Waits))
        {
            Record($"a counter went back (previous {p})", s);
        }

        _previous = s;
    }

    private void Record(string rule, PoolStats s)
    {
        lock (_violations)
        {
            if (_violations.Count < 20)
            {
                _violations.Add($"{_clock.ElapsedMilliseconds} ms: {rule}: {s}");
            }
        }
    }
}
