using System.Text.RegularExpressions;
using PoolGen.IntegrationTests.Packaging;

namespace PoolGen.IntegrationTests.Observability;

/// <summary>
/// docs/observability.md is checked like code: its set-up snippet is the compiled <see cref="PoolTelemetry"/>, and its
/// tables name every instrument the meter publishes and every event id the pool logs.
/// </summary>
public sealed class ObservabilityDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "observability.md"));

    [Fact]
    public void TheSetUpSnippet_IsTheCompiledPoolTelemetryClass()
    {
        string source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "PoolGen.IntegrationTests", "Observability", "PoolTelemetry.cs"));
        string[] blocks = Regex.Matches(Doc, "```csharp\\n(?<code>.*?)```", RegexOptions.Singleline).Select(m => m.Groups["code"].Value).ToArray();

        string snippet = Assert.Single(blocks, b => b.Contains("AddPoolGen", StringComparison.Ordinal));
        Assert.Contains(Normalize(snippet[snippet.IndexOf("public static class", StringComparison.Ordinal)..]), Normalize(source), StringComparison.Ordinal);
    }

    [Fact]
    public void TheInstrumentTable_NamesEveryInstrument()
    {
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        var names = new HashSet<string>();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == "PoolGen")
            {
                lock (names)
                {
                    names.Add(instrument.Name);
                }
            }
        };
        listener.Start();
        using var pool = new DocPool();
        _ = pool.Stats;

        Assert.NotEmpty(names);
        foreach (string name in names)
        {
            Assert.Matches($@"\| `{Regex.Escape(name)}` \|", Doc);
        }
    }

    [Fact]
    public void TheEventTable_NamesEveryLogEventWithItsId()
    {
        var events = typeof(PoolOptions).Assembly.GetType("PoolGen.PoolLog", throwOnError: true)!
            .GetMethods()
            .Select(m => m.GetCustomAttributes(typeof(Microsoft.Extensions.Logging.LoggerMessageAttribute), false).SingleOrDefault())
            .OfType<Microsoft.Extensions.Logging.LoggerMessageAttribute>()
            .ToList();

        Assert.True(events.Count >= 12, $"found {events.Count} log events");
        foreach (var e in events)
        {
            Assert.Matches($@"\| {e.EventId} \| `{e.EventName}` \| {e.Level} \|", Doc);
        }
    }

    private static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();
}

/// <summary>A pool for reading which instruments a pool publishes.</summary>
[ConnectionPool(Max = 1)]
public sealed partial class DocPool
{
    private static Microsoft.Data.Sqlite.SqliteConnection Create() => new("Data Source=:memory:;Pooling=False");
}
