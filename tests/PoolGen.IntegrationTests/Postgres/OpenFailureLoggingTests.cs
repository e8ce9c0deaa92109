using Microsoft.Extensions.Logging;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A database that is unreachable for a while must not flood the log: retries are logged at Debug without an exception,
/// a rent's final failure once at Warning with it, and a run of identical failures is summarised (a line per interval
/// with a count) rather than written out each time.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OpenFailureLoggingTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int Rents = 40;
    private const int MostLinesAtInformation = 5;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-openlog-{Guid.NewGuid():N}";

    public OpenFailureLoggingTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_FortyTimesWhileTheServerIsUnreachable_LogsAFewLinesAtInformationOrAboveWithTheExceptionOnAWarning(bool synchronous)
    {
        var logger = new RecordingLogger(LogLevel.Information);
        await using var pool = new RetryingPool(UnreachableConnectionString(), logger);

        int failed = await RentRepeatedlyAsync(pool, Rents, synchronous);

        IReadOnlyList<LogEntry> lines = logger.AtOrAbove(LogLevel.Information);
        _output.WriteLine($"{failed} rents failed; {lines.Count} lines at Information or above; {pool.Stats}");
        _output.WriteLine(logger.Describe(30));

        Assert.Equal(Rents, failed);
        Assert.True(
            lines.Count <= MostLinesAtInformation,
            $"{Rents} failed rents (each one attempt and 3 retries) wrote {lines.Count} lines at Information or above; at most " +
            $"{MostLinesAtInformation} may: retries belong at Debug, and repeated identical failures are summarised. " +
            $"By level: {string.Join(", ", lines.GroupBy(l => l.Level).Select(g => $"{g.Count()} {g.Key}"))}; " +
            $"{lines.Count(l => l.Exception is not null)} carry an exception.");
        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Exception is not null);
    }

    [Fact]
    public async Task Rent_WhileTheServerIsUnreachable_LogsRetriesAtDebugWithoutAnExceptionAndEachFinalFailureAtMostOnceAtWarning()
    {
        const int FewRents = 5;
        var logger = new RecordingLogger(LogLevel.Trace);
        await using var pool = new RetryingPool(UnreachableConnectionString(), logger);

        int failed = await RentRepeatedlyAsync(pool, FewRents, synchronous: false);

        IReadOnlyList<LogEntry> entries = logger.Entries;
        _output.WriteLine($"{failed} rents failed; {entries.Count} entries; {pool.Stats}");
        _output.WriteLine(logger.Describe(30));

        Assert.Equal(FewRents, failed);
        List<LogEntry> debug = entries.Where(e => e.Level <= LogLevel.Debug).ToList();
        List<LogEntry> warnings = entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.True(
            debug.Count > 0,
            $"nothing was logged at Debug or below for {FewRents * 3} retries; the log has {string.Join(", ", entries.GroupBy(e => e.Level).Select(g => $"{g.Count()} {g.Key}"))}");
        Assert.True(
            debug.All(e => e.Exception is null),
            $"{debug.Count(e => e.Exception is not null)} of {debug.Count} Debug entries carry an exception; a retry's line needs none (the final failure has it)");
        Assert.True(
            warnings.Count <= FewRents,
            $"{FewRents} failed rents wrote {warnings.Count} entries at Warning or above; each rent's final failure may write one at most " +
            $"(by level: {string.Join(", ", warnings.GroupBy(e => e.Level).Select(g => $"{g.Count()} {g.Key}"))})");
        Assert.Contains(warnings, w => w.Level == LogLevel.Warning && w.Exception is not null);
    }

    /// <summary>Rents <paramref name="count"/> times in a row, each expected to fail; returns how many failed with <see cref="PoolConnectionException"/>.</summary>
    private static async Task<int> RentRepeatedlyAsync(RetryingPool pool, int count, bool synchronous)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        int failed = 0;
        for (int i = 0; i < count; i++)
        {
            try
            {
                if (synchronous)
                {
                    await Task.Run(() => pool.Rent().Dispose(), limit.Token);
                }
                else
                {
                    await using RetryingPool.Lease lease = await pool.RentAsync(limit.Token);
                }
            }
            catch (PoolConnectionException)
            {
                failed++;
            }
        }

        return failed;
    }

    private string UnreachableConnectionString() =>
        new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app))
        {
            Host = "127.0.0.1",
            Port = ClosedPort.Find(),
        }.ConnectionString;
}
