using Microsoft.Extensions.Logging;

namespace PoolGen.Tests.Fakes;

/// <summary>A logger factory whose loggers all write to one <see cref="ListLogger"/>, remembering each category asked for.</summary>
public sealed class ListLoggerFactory : ILoggerFactory
{
    public ListLogger Logger { get; } = new();

    public List<string> Categories { get; } = [];

    public ILogger CreateLogger(string categoryName)
    {
        lock (Categories)
        {
            Categories.Add(categoryName);
        }

        return Logger;
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
