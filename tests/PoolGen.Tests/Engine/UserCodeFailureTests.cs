using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>
/// An exception from the class's Validate, Reset, Close or IsBroken method never fails a rent or a return, but it is
/// not swallowed either: it is counted in UserCodeErrors and logged (rate-limited) with the exception.
/// </summary>
public sealed class UserCodeFailureTests
{
    [Fact]
    public void Rent_WhenValidateThrows_LendsANewConnectionAndLogsAndCountsTheError()
    {
        var logger = new ListLogger();
        using var pool = new FaultyFakePool(new FakeDatabase(), o => o.Logger = logger);
        FakeConnection first;
        using (FaultyFakePool.Lease lease = pool.Rent())
        {
            first = lease.Connection;
        }

        var failure = new InvalidOperationException("the validation query has a typo");
        pool.ValidateFailure = failure;
        using FaultyFakePool.Lease next = pool.Rent();

        Assert.NotSame(first, next.Connection);
        Assert.Equal(1, first.CloseCount);
        Assert.Equal((1L, 1L), (pool.Stats.UserCodeErrors, pool.Stats.ValidationFailures));
        var warning = Assert.Single(logger.AtOrAbove(LogLevel.Information));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Pool 'FaultyFakePool'", warning.Message);
        Assert.Contains("Validate method", warning.Message);
        Assert.Contains("the validation query has a typo", warning.Message);
        Assert.Same(failure, warning.Exception);
    }

    [Fact]
    public void GetHealth_WhenValidateKeepsThrowing_IsDegradedAndNamesTheError()
    {
        using var pool = new FaultyFakePool(new FakeDatabase());
        pool.Rent().Dispose();
        pool.ValidateFailure = new InvalidOperationException("the validation query has a typo");
        for (int i = 0; i < 4; i++)
        {
            pool.Rent().Dispose();
        }

        PoolHealth health = pool.GetHealth();

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.True(health.IsHealthy, health.ToString());
        string issue = Assert.Single(health.Issues);
        Assert.StartsWith("Validation is failing with InvalidOperationException: the validation query has a typo", issue);
        Assert.Contains("4 of the 4 validations", issue);
        Assert.Equal(4L, pool.Stats.UserCodeErrors);
    }

    [Fact]
    public async Task Rent_WhenValidateThrowsFiftyTimes_LogsTheFirstInFullAndTheRestAsOneSummary()
    {
        var time = new FakeTimeProvider();
        var logger = new ListLogger();
        var pool = new FaultyFakePool(new FakeDatabase(), o => { o.Logger = logger; o.TimeProvider = time; });
        pool.Rent().Dispose();
        var failure = new InvalidOperationException("the validation query has a typo");
        pool.ValidateFailure = failure;
        for (int i = 0; i < 50; i++)
        {
            pool.Rent().Dispose();
        }

        int linesWhileFailing = logger.AtOrAbove(LogLevel.Information).Count;
        pool.ValidateFailure = null;

        // Shutting down writes out the summary of the run, however short it was.
        await pool.DisposeAsync();

        Assert.Equal(50L, pool.Stats.UserCodeErrors);
        Assert.Equal(1, linesWhileFailing);
        var lines = logger.AtOrAbove(LogLevel.Information);
        Assert.InRange(lines.Count, 2, 3);
        Assert.Equal(("UserCodeFailed", LogLevel.Warning), (lines[0].Event, lines[0].Level));
        Assert.Same(failure, lines[0].Exception);
        var summary = Assert.Single(lines, line => line.Event == "FailuresRepeated");
        Assert.Contains("Pool 'FaultyFakePool'", summary.Message);
        Assert.Contains("failed again 49 time(s)", summary.Message);
        Assert.Contains("the validation query has a typo", summary.Message);
    }

    [Fact]
    public void Dispose_WhenResetThrows_ClosesTheConnectionAndLogsAndCountsTheError()
    {
        var logger = new ListLogger();
        using var pool = new FakePool(new FakeDatabase(), o => o.Logger = logger);
        FakePool.Lease lease = pool.Rent();
        FakeConnection connection = lease.Connection;
        var failure = new InvalidOperationException("the session could not be reset");
        pool.ResetFailure = failure;

        lease.Dispose();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L, 1L), (pool.Stats.Total, pool.Stats.ResetFailures, pool.Stats.UserCodeErrors));
        var warning = Assert.Single(logger.AtOrAbove(LogLevel.Information));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Pool 'FakePool'", warning.Message);
        Assert.Contains("Reset method", warning.Message);
        Assert.Same(failure, warning.Exception);
    }

    [Fact]
    public async Task DisposeAsync_WhenResetThrows_ClosesTheConnectionAndLogsAndCountsTheError()
    {
        var logger = new ListLogger();
        await using var pool = new FakePool(new FakeDatabase(), o => o.Logger = logger);
        FakePool.Lease lease = await pool.RentAsync();
        FakeConnection connection = lease.Connection;
        var failure = new InvalidOperationException("the session could not be reset");
        pool.ResetFailure = failure;

        await lease.DisposeAsync();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L, 1L), (pool.Stats.Total, pool.Stats.ResetFailures, pool.Stats.UserCodeErrors));
        var warning = Assert.Single(logger.AtOrAbove(LogLevel.Information));
        Assert.Contains("Reset method", warning.Message);
        Assert.Same(failure, warning.Exception);
    }

    [Fact]
    public void Clear_WhenCloseThrows_LogsAndCountsTheErrorAndTheConnectionHasLeftThePool()
    {
        var logger = new ListLogger();
        using var pool = new FaultyFakePool(new FakeDatabase(), o => o.Logger = logger);
        FakeConnection connection;
        using (FaultyFakePool.Lease lease = pool.Rent())
        {
            connection = lease.Connection;
        }

        var failure = new IOException("the socket was already gone");
        pool.CloseFailure = failure;

        pool.Clear();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L, 1L), (pool.Stats.Total, pool.Stats.Closed, pool.Stats.UserCodeErrors));
        var warning = Assert.Single(logger.AtOrAbove(LogLevel.Information));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Pool 'FaultyFakePool'", warning.Message);
        Assert.Contains("closing a connection", warning.Message);
        Assert.Same(failure, warning.Exception);

        pool.CloseFailure = null;
        using FaultyFakePool.Lease fresh = pool.Rent();
        Assert.NotSame(connection, fresh.Connection);
    }

    [Fact]
    public async Task DisposeAsync_WhenIsBrokenThrows_ClosesTheConnectionAndLogsAndCountsTheError()
    {
        var logger = new ListLogger();
        await using var pool = new CheckedFakePool(new FakeDatabase(), o => o.Logger = logger);
        CheckedFakePool.Lease lease = await pool.RentAsync();
        FakeConnection connection = lease.Connection;
        var failure = new InvalidOperationException("the driver is in a bad state");
        pool.IsBrokenFailure = failure;

        await lease.DisposeAsync();

        Assert.Equal(1, connection.CloseCount);
        Assert.Equal((0, 1L, 1L), (pool.Stats.Total, pool.Stats.Broken, pool.Stats.UserCodeErrors));
        var warning = Assert.Single(logger.AtOrAbove(LogLevel.Information));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Pool 'CheckedFakePool'", warning.Message);
        Assert.Contains("IsBroken check", warning.Message);
        Assert.Same(failure, warning.Exception);
    }
}
