namespace PoolGen.Tests.Engine.Parts;

/// <summary>
/// The health report on its own: each rule and threshold of <see cref="HealthReport.Write"/>, from inputs built by hand.
/// Each test starts from a healthy pool (two idle connections of Max 4, no history) and changes what the rule reads.
/// </summary>
public sealed class HealthReportTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_WithNothingToSay_IsHealthyWithNoIssues()
    {
        PoolHealth health = HealthReport.Write(Healthy());

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
        Assert.True(health.IsHealthy);
    }

    [Fact]
    public void Write_CarriesTheStatsAndTheRecordsLatestCheckAndFailure()
    {
        var failure = new TimeoutException("connect timed out");
        HealthReport.Inputs input = Healthy() with
        {
            Record = new HealthSnapshot() with
            {
                LastCheck = s_now.AddSeconds(-5),
                CheckDuration = TimeSpan.FromMilliseconds(12),
                LastFailureAt = s_now.AddMinutes(-3),
                LastFailure = failure,
            },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Equal(input.Stats, health.Stats);
        Assert.Equal("Orders", health.Name);
        Assert.Equal(s_now.AddSeconds(-5), health.LastCheck);
        Assert.Equal(TimeSpan.FromMilliseconds(12), health.CheckDuration);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(s_now.AddMinutes(-3), health.LastFailureAt);
        Assert.Equal("TimeoutException: connect timed out", health.LastFailure);
    }

    [Fact]
    public void Write_WhenNoConnectionIsOpenAndOpensFailedInARow_IsUnhealthy()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Stats = Stats() with { Total = 0, Idle = 0 },
            Record = FailingInARow(4, agoMs: 120),
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.False(health.IsHealthy);
        Assert.Equal(
            ["No connection is open and the last 4 attempts to open a connection failed, the latest 120 ms ago with " +
             "TimeoutException: Failed to connect to 127.0.0.1:5432."],
            health.Issues);
        Assert.Equal(4, health.ConsecutiveFailures);
    }

    [Fact]
    public void Write_WhenOpensFailedInARowWithConnectionsStillOpen_IsDegraded()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Stats = Stats() with { Total = 1, Idle = 1 },
            Record = FailingInARow(1, agoMs: 40),
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.True(health.IsHealthy);
        Assert.Equal(
            ["The last 1 attempt to open a connection failed, the latest 40 ms ago with TimeoutException: Failed to " +
             "connect to 127.0.0.1:5432; 1 connection still open."],
            health.Issues);
    }

    [Fact]
    public void Write_WhileOpensFailInARow_ReportsTheRunAndNotAlsoTheFailureRate()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Stats = Stats() with { Total = 0, Idle = 0 },
            Record = FailingInARow(4, agoMs: 10) with { Opens = 4, OpenFailures = 4 },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Single(health.Issues);
        Assert.StartsWith("No connection is open", health.Issues[0]);
    }

    [Fact]
    public void Write_WhenHalfOfFourOpensFailed_ReportsAHighCreationFailureRate()
    {
        HealthReport.Inputs input = Healthy() with { Record = OpenRate(opens: 4, failures: 2) };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["High creation failure rate: 2 of the 4 opens in the last 60,000 ms failed, the latest 500 ms ago with " +
             "TimeoutException: Failed to connect to 127.0.0.1:5432."],
            health.Issues);
    }

    [Fact]
    public void Write_WhenOnlyThreeOpensWereMade_ReportsNoFailureRateEvenIfAllFailed()
    {
        PoolHealth health = HealthReport.Write(Healthy() with { Record = OpenRate(opens: 3, failures: 3) });

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WhenFewerThanHalfTheOpensFailed_ReportsNoFailureRate()
    {
        PoolHealth health = HealthReport.Write(Healthy() with { Record = OpenRate(opens: 5, failures: 2) });

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WhenHalfOfFourValidationsFailed_SaysValidationIsFailingQuotingTheValidatorsError()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Record = new HealthSnapshot() with
            {
                Validations = 4,
                ValidationFailures = 2,
                LastValidationError = new InvalidOperationException("validator crashed"),
            },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["Validation is failing with InvalidOperationException: validator crashed: 2 of the 4 validations in the last " +
             "60,000 ms failed, so every rent that validates closes its connection and opens a new one."],
            health.Issues);
    }

    [Fact]
    public void Write_WhenValidationsFailWithoutAValidatorError_SaysValidationIsFailingWithoutACause()
    {
        HealthReport.Inputs input = Healthy() with { Record = new HealthSnapshot() with { Validations = 6, ValidationFailures = 6 } };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["Validation is failing: 6 of the 6 validations in the last 60,000 ms failed, so every rent that validates " +
             "closes its connection and opens a new one."],
            health.Issues);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(5, 2)]
    public void Write_WithFewerThanFourValidationsOrFewerThanHalfFailed_ReportsNoValidationIssue(int validations, int failures)
    {
        HealthReport.Inputs input = Healthy() with
        {
            Record = new HealthSnapshot() with { Validations = validations, ValidationFailures = failures },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WhenTheLatestHealthCheckFailed_IsUnhealthy()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Record = new HealthSnapshot() with { LastCheckFailure = new InvalidOperationException("probe query failed") },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Equal(["The latest health check failed with InvalidOperationException: probe query failed."], health.Issues);
    }

    [Fact]
    public void Write_WhenTheLatestHealthCheckFailedToOpen_LeavesItToTheOpenFailureRules()
    {
        var openFailure = new PoolConnectionException("Orders", 3, TimeSpan.FromMilliseconds(900), new TimeoutException("down"));
        HealthReport.Inputs input = Healthy() with { Record = new HealthSnapshot() with { LastCheckFailure = openFailure } };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_OfADisposedPool_IsUnhealthy()
    {
        PoolHealth health = HealthReport.Write(Healthy() with { Disposed = true });

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Equal(["It has been disposed, so it serves no rents."], health.Issues);
    }

    [Fact]
    public void Write_OfAPoolWithInvalidOptions_IsUnhealthyAndQuotesWhyOnly()
    {
        // A misconfigured pool is also marked disposed; the report gives the reason that helps.
        HealthReport.Inputs input = Healthy() with
        {
            ConfigurationError = new ArgumentException("Max (0) must be at least 1."),
            Disposed = true,
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Equal(["Its options are invalid, so it serves no rents: Max (0) must be at least 1."], health.Issues);
    }

    [Fact]
    public void Write_WhenAllAreLeasedAndTheOldestRentHasWaitedOneSecond_IsDegradedAndExhausted()
    {
        PoolHealth health = HealthReport.Write(Exhausted(oldestWaitMs: 1_000, acquireTimeoutMs: 30_000));

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["Exhausted: all 4 connections are leased and 3 rents waiting; raise Max, hold leases for less time, or look for leaks."],
            health.Issues);
    }

    [Fact]
    public void Write_WhenAllAreLeasedAndTheOldestRentHasWaitedLessThanOneSecond_IsMerelyBusy()
    {
        PoolHealth health = HealthReport.Write(Exhausted(oldestWaitMs: 999, acquireTimeoutMs: 30_000));

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WithAnAcquireTimeoutUnderTwoSeconds_ReportsExhaustionAfterHalfOfIt()
    {
        Assert.Empty(HealthReport.Write(Exhausted(oldestWaitMs: 599, acquireTimeoutMs: 1_200)).Issues);

        PoolHealth health = HealthReport.Write(Exhausted(oldestWaitMs: 600, acquireTimeoutMs: 1_200));

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Contains(health.Issues, issue => issue.StartsWith("Exhausted: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_WhenAConnectionIsNotLeased_IsNotExhaustedHoweverLongRentsWait()
    {
        HealthReport.Inputs input = Exhausted(oldestWaitMs: 5_000, acquireTimeoutMs: 30_000) with
        {
            Stats = Stats() with { Total = 4, Idle = 0, Leased = 3, Pending = 3 },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WhenTheOldestRentHasWaitedHalfTheAcquireTimeout_ReportsALongWait()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Stats = Stats() with { Pending = 9 },
            OldestWaitMs = 15_000,
            AcquireTimeoutMs = 30_000,
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(["Long waits: the oldest of 9 waiting rents has waited 15,000 ms (AcquireTimeoutMs is 30,000)."], health.Issues);
    }

    [Fact]
    public void Write_WhenTheOldestRentHasWaitedLessThanHalfTheAcquireTimeout_ReportsNoLongWait()
    {
        HealthReport.Inputs input = Healthy() with
        {
            Stats = Stats() with { Pending = 9 },
            OldestWaitMs = 14_999,
            AcquireTimeoutMs = 30_000,
        };

        Assert.Empty(HealthReport.Write(input).Issues);
    }

    [Fact]
    public void Write_WithAZeroAcquireTimeoutAndNoRentWaiting_ReportsNoLongWait()
    {
        PoolHealth health = HealthReport.Write(Healthy() with { AcquireTimeoutMs = 0, OldestWaitMs = 0 });

        Assert.Equal(PoolHealthStatus.Healthy, health.Status);
        Assert.Empty(health.Issues);
    }

    [Fact]
    public void Write_WhenEveryConnectionIsHeldTooLongWhileRentsWait_IsUnhealthy()
    {
        HealthReport.Inputs input = Leaking(held: 4) with { Stats = AllLeased() with { Pending = 2 }, OldestWaitMs = 200 };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Equal(
            ["Every connection (4 of Max 4) is held longer than LeakThresholdMs (10,000 ms) while rents time out, so the pool " +
             "serves nothing; the longest has been held for 64,000 ms. The log names where each was rented: dispose those leases."],
            health.Issues);
    }

    [Fact]
    public void Write_WhenEveryConnectionIsHeldTooLongAndARentTimedOutInTheWindow_IsUnhealthy()
    {
        HealthReport.Inputs input = Leaking(held: 4) with
        {
            Stats = AllLeased(),
            Record = new HealthSnapshot() with { TimedOutInWindow = true },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.StartsWith("Every connection (4 of Max 4) is held longer than LeakThresholdMs", Assert.Single(health.Issues));
    }

    [Fact]
    public void Write_WhenEveryConnectionIsHeldTooLongButNoRentWaitsOrTimedOut_IsDegradedWithLeaksSuspected()
    {
        PoolHealth health = HealthReport.Write(Leaking(held: 4) with { Stats = AllLeased() });

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["Leaks suspected: 4 leases held longer than LeakThresholdMs (10,000 ms), the longest for 64,000 ms; the log names " +
             "where each was rented."],
            health.Issues);
    }

    [Fact]
    public void Write_WhenSomeConnectionsAreHeldTooLongWhileRentsWait_IsDegradedWithLeaksSuspected()
    {
        HealthReport.Inputs input = Leaking(held: 2) with
        {
            Stats = Stats() with { Total = 4, Idle = 0, Leased = 3, Pending = 2 },
            OldestWaitMs = 200,
            Record = new HealthSnapshot() with { TimedOutInWindow = true },
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Equal(
            ["Leaks suspected: 2 leases held longer than LeakThresholdMs (10,000 ms), the longest for 64,000 ms; the log names " +
             "where each was rented."],
            health.Issues);
    }

    [Fact]
    public void Write_ListsTheUnhealthyIssuesBeforeTheDegradedOnes()
    {
        // The rules run in the order: options or disposal, open failures (degraded here), health check (unhealthy), waits.
        HealthReport.Inputs input = Healthy() with
        {
            Disposed = true,
            Stats = Stats() with { Pending = 1 },
            Record = FailingInARow(2, agoMs: 40) with { LastCheckFailure = new InvalidOperationException("probe query failed") },
            OldestWaitMs = 20_000,
        };

        PoolHealth health = HealthReport.Write(input);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Collection(
            health.Issues,
            issue => Assert.StartsWith("It has been disposed", issue),
            issue => Assert.StartsWith("The latest health check failed", issue),
            issue => Assert.StartsWith("The last 2 attempts to open a connection failed", issue),
            issue => Assert.StartsWith("Long waits", issue));
    }

    [Fact]
    public void IsHealthy_IsTrueUnlessTheStatusIsUnhealthy()
    {
        PoolHealth healthy = HealthReport.Write(Healthy());
        PoolHealth degraded = HealthReport.Write(Leaking(held: 1));
        PoolHealth unhealthy = HealthReport.Write(Healthy() with { Disposed = true });

        Assert.Equal(
            [(PoolHealthStatus.Healthy, true), (PoolHealthStatus.Degraded, true), (PoolHealthStatus.Unhealthy, false)],
            new[] { healthy, degraded, unhealthy }.Select(health => (health.Status, health.IsHealthy)));
    }

    /// <summary>Two idle connections of Max 4, a 60 s window, a 30 s acquire timeout, no history.</summary>
    private static HealthReport.Inputs Healthy() => new(
        Stats(),
        new HealthSnapshot(),
        s_now,
        WindowMs: 60_000,
        ConfigurationError: null,
        Disposed: false,
        OldestWaitMs: 0,
        AcquireTimeoutMs: 30_000,
        LeasesHeldTooLong: 0,
        LongestHeldMs: 0,
        LeakThresholdMs: 0);

    private static PoolStats Stats() => new(
        "Orders", Total: 2, Idle: 2, Leased: 0, Opening: 0, Pending: 0, Min: 0, Max: 4,
        Created: 2, Closed: 0, CreateFailures: 0, ValidationFailures: 0, ResetFailures: 0, Timeouts: 0, Cancellations: 0,
        Rents: 10, Waits: 0, StaleDisposals: 0, Broken: 0, LeaksSuspected: 0, UserCodeErrors: 0);

    private static PoolStats AllLeased() => Stats() with { Total = 4, Idle = 0, Leased = 4 };

    private static HealthSnapshot FailingInARow(int failures, long agoMs) => new HealthSnapshot() with
    {
        ConsecutiveFailures = failures,
        LastFailureAt = s_now.AddMilliseconds(-agoMs),
        LastFailure = new TimeoutException("Failed to connect to 127.0.0.1:5432"),
    };

    private static HealthSnapshot OpenRate(int opens, int failures) => new HealthSnapshot() with
    {
        Opens = opens,
        OpenFailures = failures,
        LastFailureAt = s_now.AddMilliseconds(-500),
        LastFailure = new TimeoutException("Failed to connect to 127.0.0.1:5432"),
    };

    private static HealthReport.Inputs Exhausted(long oldestWaitMs, int acquireTimeoutMs) => Healthy() with
    {
        Stats = AllLeased() with { Pending = 3 },
        OldestWaitMs = oldestWaitMs,
        AcquireTimeoutMs = acquireTimeoutMs,
    };

    private static HealthReport.Inputs Leaking(int held) => Healthy() with
    {
        LeasesHeldTooLong = held,
        LongestHeldMs = 64_000,
        LeakThresholdMs = 10_000,
    };
}
