using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PoolGen.Tests.Fakes;

/// <summary>A logger that keeps every entry, so tests can read what the pool reported.</summary>
public sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Event, string Message, Exception? Exception, int EventId)> Entries { get; } = new();

    public IEnumerable<string> MessagesOf(string eventName) =>
        Entries.Where(e => e.Event == eventName).Select(e => e.Message);

    /// <summary>The entries at <paramref name="level"/> or above, in the order they were logged.</summary>
    public IReadOnlyList<(LogLevel Level, string Event, string Message, Exception? Exception, int EventId)> AtOrAbove(LogLevel level) =>
        Entries.Where(e => e.Level >= level).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId.Name ?? "", formatter(state, exception), exception, eventId.Id));
}
