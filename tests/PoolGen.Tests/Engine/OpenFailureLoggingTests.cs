using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>While the database is down every rent fails the same way; the log says so in a few lines, not one per rent.</summary>
public sealed class OpenFailureLoggingTests
{
    [Fact]
    public async Task RentAsync_WhileTheDatabaseIsDown_LogsAFewLinesNotOnePerRent()
    {
        var logger = new ListLogger();
        var database = new FakeDatabase { FailWith = new TimeoutException("connection refused") };
        await using var pool = new AsyncFakePool(database, o => { o.Logger = logger; o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        for (int i = 0; i < 40; i++)
        {
            await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());
        }

        var loud = logger.AtOrAbove(LogLevel.Information);
        Assert.InRange(loud.Count, 1, 5);
        Assert.Contains(loud, e => e.Level == LogLevel.Warning && e.Exception is PoolConnectionException);

        // Each retry is worth a line when debugging, not a stack trace: the failure that ends the rent carries it.
        var retries = logger.Entries.Where(e => e.Event == "OpenRetrying").ToList();
        Assert.Equal(40 * 3, retries.Count);
        Assert.All(retries, e => Assert.Equal((LogLevel.Debug, null), (e.Level, e.Exception)));
        Assert.Contains("connection refused", retries[0].Message);
    }

    [Fact]
    public void Rent_WhileTheDatabaseIsDown_LogsAFewLinesNotOnePerRent()
    {
        var logger = new ListLogger();
        var database = new FakeDatabase { FailWith = new TimeoutException("connection refused") };
        using var pool = new FakePool(database, o => { o.Logger = logger; o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        for (int i = 0; i < 40; i++)
        {
            Assert.Throws<PoolConnectionException>(() => pool.Rent());
        }

        var loud = logger.AtOrAbove(LogLevel.Information);
        Assert.InRange(loud.Count, 1, 5);
        Assert.Contains(loud, e => e.Level == LogLevel.Warning && e.Exception is PoolConnectionException);
        Assert.All(logger.Entries.Where(e => e.Event == "OpenRetrying"), e => Assert.Null(e.Exception));
    }
}
