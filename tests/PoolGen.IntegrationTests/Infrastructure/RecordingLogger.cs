using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>
/// A logger that keeps every entry it is enabled for, with its level, event id, message, exception and when it was
/// written, so a test can count what a pool logged and read it back. The runtime tests' <c>ListLogger</c> keeps
/// neither the exception nor the event id, and it is shared with them, so this one is the integration tests' own.
/// </summary>
public sealed class RecordingLogger : ILogger
{
    private readonly LogLevel _minimum;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <param name="minimum">The lowest level the logger is enabled for, as a configured application logger would be.</param>
    public RecordingLogger(LogLevel minimum = LogLevel.Trace) => _minimum = minimum;

    /// <summary>Every entry so far, oldest first.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>Time since the logger was created, on the clock <see cref="LogEntry.At"/> uses.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Entries at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<LogEntry> AtOrAbove(LogLevel level) => [.. _entries.Where(e => e.Level >= level)];

    /// <summary>The first <paramref name="most"/> entries, each on its own line, for test output.</summary>
    public string Describe(int most = 100)
    {
        LogEntry[] entries = [.. _entries];
        if (entries.Length == 0)
        {
            return "(nothing logged)";
        }

        string lines = string.Join(Environment.NewLine, entries.Take(most).Select(e => e.ToString()));
        return entries.Length <= most ? lines : $"{lines}{Environment.NewLine}... and {entries.Length - most} more entries";
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _entries.Enqueue(new LogEntry(_clock.Elapsed, logLevel, eventId, formatter(state, exception), exception));
        }
    }
}

/// <summary>One log entry as the pool wrote it.</summary>
public sealed record LogEntry(TimeSpan At, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() =>
        $"{At.TotalMilliseconds,7:0} ms {Level,-11} {EventId.Id}/{EventId.Name ?? "-"}: {Message}" +
        (Exception is null ? "" : $" [{Exception.GetType().Name}: {Exception.Message}]");
}
