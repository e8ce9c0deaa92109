using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests.Infrastructure;

/// <summary>Sends every category to one <see cref="ListLogger"/>.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public ListLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
