using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine.Parts;

/// <summary>
/// The failure log on its own: the first failure of a run in full, identical ones counted and summarised once per
/// interval, a different failure starting a new run. Times are plain numbers on the pool's millisecond clock.
/// </summary>
public sealed class FailureLogTests
{
    private const int Interval = FailureLog.SummaryIntervalMs;

    private readonly ListLogger _logger = new();

    [Fact]
    public void Report_TheFirstFailure_IsLoggedInFullWithItsException()
    {
        FailureLog log = NewLog();
        var failure = new TimeoutException("database down");

        log.Report(failure, nowMs: 0);

        var entry = Assert.Single(_logger.Entries);
        Assert.Equal(
            (LogLevel.Warning, "OpenFailed", "Pool 'Orders' could not open a connection for a rent: TimeoutException: database down"),
            (entry.Level, entry.Event, entry.Message));
        Assert.Same(failure, entry.Exception);
    }

    [Fact]
    public void Report_WithAnExceptionToLog_AttachesItToTheFullLine()
    {
        FailureLog log = NewLog();
        var failure = new TimeoutException("database down");
        var logged = new PoolConnectionException("Orders", 3, TimeSpan.FromMilliseconds(900), failure);

        log.Report(failure, nowMs: 0, logged);

        var entry = Assert.Single(_logger.Entries);
        Assert.Same(logged, entry.Exception);
        Assert.EndsWith("TimeoutException: database down", entry.Message);
    }

    [Fact]
    public void Report_IdenticalFailuresWithinTheInterval_AreCountedNotLogged()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);

        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Report(new TimeoutException("database down"), nowMs: 5_000);
        log.Report(new TimeoutException("database down"), nowMs: Interval - 1);

        Assert.Single(_logger.Entries);
    }

    [Fact]
    public void Report_AnIdenticalFailureOnceTheIntervalHasPassed_LogsOneSummaryCountingIt()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Report(new TimeoutException("database down"), nowMs: 200);

        log.Report(new TimeoutException("database down"), nowMs: Interval);

        Assert.Collection(
            _logger.Entries,
            first => Assert.Equal("OpenFailed", first.Event),
            summary =>
            {
                Assert.Equal((LogLevel.Warning, "FailuresRepeated"), (summary.Level, summary.Event));
                AssertSummary(summary.Message, count: 3, windowMs: 10_000);
                Assert.Null(summary.Exception);
            });
    }

    [Fact]
    public void Report_ARunThatGoesOn_IsSummarisedOncePerInterval()
    {
        FailureLog log = NewLog();
        for (long nowMs = 0; nowMs <= 3 * Interval; nowMs += 1_000)
        {
            log.Report(new TimeoutException("database down"), nowMs);
        }

        Assert.Equal(["OpenFailed", "FailuresRepeated", "FailuresRepeated", "FailuresRepeated"], _logger.Entries.Select(e => e.Event));
        Assert.All(_logger.MessagesOf("FailuresRepeated"), message => AssertSummary(message, count: 10, windowMs: 10_000));
    }

    [Fact]
    public void Report_ADifferentFailure_StartsANewRunAndSummarisesThePreviousCountFirst()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Report(new TimeoutException("database down"), nowMs: 200);
        var different = new InvalidOperationException("bad password");

        log.Report(different, nowMs: 300);

        Assert.Collection(
            _logger.Entries,
            first => Assert.EndsWith("TimeoutException: database down", first.Message),
            summary => AssertSummary(summary.Message, count: 2, windowMs: 300),
            next =>
            {
                Assert.Equal("Pool 'Orders' could not open a connection for a rent: InvalidOperationException: bad password", next.Message);
                Assert.Same(different, next.Exception);
            });
    }

    [Fact]
    public void Report_ADifferentFailureRightAfterTheFirst_LogsNoEmptySummary()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);

        log.Report(new InvalidOperationException("bad password"), nowMs: 100);
        log.Report(new TimeoutException("database down"), nowMs: 200);

        Assert.Equal(["OpenFailed", "OpenFailed", "OpenFailed"], _logger.Entries.Select(e => e.Event));
    }

    [Fact]
    public void Report_TheSameTypeWithAnotherMessage_IsADifferentFailure()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);

        log.Report(new TimeoutException("connect timed out after 15 s"), nowMs: 100);

        Assert.Equal(2, _logger.MessagesOf("OpenFailed").Count());
    }

    [Fact]
    public void Flush_BeforeTheIntervalHasPassed_LogsNothing()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);

        log.Flush(nowMs: Interval - 1);

        Assert.Single(_logger.Entries);
    }

    [Fact]
    public void Flush_OnceTheIntervalHasPassed_SummarisesTheCountOnce()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Report(new TimeoutException("database down"), nowMs: 200);

        log.Flush(nowMs: Interval);
        log.Flush(nowMs: 3 * Interval);

        AssertSummary(Assert.Single(_logger.MessagesOf("FailuresRepeated")), count: 2, windowMs: 10_000);
    }

    [Fact]
    public void Flush_Forced_SummarisesTheCountBeforeTheIntervalHasPassed()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);

        log.Flush(nowMs: 400, force: true);

        AssertSummary(Assert.Single(_logger.MessagesOf("FailuresRepeated")), count: 1, windowMs: 400);
    }

    [Fact]
    public void Flush_WithNothingCounted_LogsNothingEvenWhenForced()
    {
        FailureLog log = NewLog();
        log.Flush(nowMs: 0, force: true);
        log.Report(new TimeoutException("database down"), nowMs: 100);

        log.Flush(nowMs: 2 * Interval, force: true);

        Assert.Single(_logger.Entries);
    }

    [Fact]
    public void Report_AfterAFlush_KeepsCountingTheSameRun()
    {
        FailureLog log = NewLog();
        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Flush(nowMs: Interval);

        log.Report(new TimeoutException("database down"), nowMs: Interval + 100);
        log.Flush(nowMs: Interval + 500, force: true);

        Assert.Equal(["OpenFailed", "FailuresRepeated", "FailuresRepeated"], _logger.Entries.Select(e => e.Event));
        AssertSummary(_logger.MessagesOf("FailuresRepeated").Last(), count: 1, windowMs: 500);
    }

    [Fact]
    public void Report_WhenTheLoggerIsNotEnabledForWarning_LogsNothing()
    {
        var logger = new ErrorsOnlyLogger();
        int fullLines = 0;
        var log = new FailureLog(logger, "Orders", "opening a connection", (_, _, _, _) => fullLines++);

        log.Report(new TimeoutException("database down"), nowMs: 0);
        log.Report(new TimeoutException("database down"), nowMs: 100);
        log.Report(new InvalidOperationException("bad password"), nowMs: 200);
        log.Report(new InvalidOperationException("bad password"), nowMs: 3 * Interval);
        log.Flush(nowMs: 4 * Interval, force: true);

        Assert.Equal(0, fullLines);
        Assert.Equal(0, logger.Calls);
    }

    /// <summary>
    /// A summary line of the run of "database down" timeouts: its count and span. The type is not pinned to one spelling:
    /// the full line names it short, the summary today with its namespace.
    /// </summary>
    private static void AssertSummary(string message, int count, long windowMs)
    {
        Assert.StartsWith($"Pool 'Orders': opening a connection failed again {count} time(s) in the last {windowMs} ms, the latest with ", message);
        Assert.EndsWith("TimeoutException: database down", message);
    }

    private FailureLog NewLog() => new(_logger, "Orders", "opening a connection", PoolLog.OpenFailed);

    /// <summary>A logger enabled for errors only, that counts every call to Log whatever its level.</summary>
    private sealed class ErrorsOnlyLogger : ILogger
    {
        public int Calls { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Calls++;
    }
}
