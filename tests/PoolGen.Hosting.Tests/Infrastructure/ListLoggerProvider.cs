using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests.Infrastructure;

/// <summary>Sends every category to one <see cref="ListLogger"/>.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ListLogger Logger { get; } = new();

    /// <summary>Every category a logger was asked for.</summary>
    public ConcurrentBag<string> Categories { get; } = new();

    public ILogger CreateLogger(string categoryName)
    {
        Categories.Add(categoryName);
        return Logger;
    }

    public void Dispose()
    {
    }
}
