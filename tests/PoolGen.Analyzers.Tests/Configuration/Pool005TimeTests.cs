using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool005TimeTests
{
    private static Diagnostic[] Run(string arguments) => AnalyzerHarness.Run($$"""
        [ConnectionPool({{arguments}})]
        public sealed partial class OrdersDb
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Theory]
    [InlineData("AcquireTimeoutMs", "0 makes every rent that cannot be served at once fail")]
    [InlineData("IdleTimeoutMs", "0 turns idle retirement off")]
    [InlineData("MaxLifetimeMs", "0 means no lifetime limit")]
    [InlineData("ValidateAfterIdleMs", "0 validates on every rent")]
    [InlineData("ShutdownTimeoutMs", "0 closes at once without waiting for leases")]
    [InlineData("HealthCheckIntervalMs", "0 turns maintenance passes off")]
    [InlineData("ValidationTimeoutMs", "0 lets a validation take as long as it takes")]
    [InlineData("LeakThresholdMs", "0 turns leak detection off")]
    public void NegativeTime_ReportsAtTheArgument_SayingWhatZeroMeans(string property, string zero)
    {
        string message = AnalyzerHarness.Single(Run($"{property} = -1"), "POOL005", $"{property} = -1");

        Assert.Equal($"{property} of 'OrdersDb' is -1 ms, but a time cannot be negative: use a positive number of milliseconds, or 0 ({zero})", message);
    }

    [Fact]
    public void TwoNegativeTimes_ReportBoth()
    {
        Diagnostic[] diagnostics = Run("AcquireTimeoutMs = -1, MaxLifetimeMs = -2");

        Assert.Equal(new[] { "AcquireTimeoutMs = -1", "MaxLifetimeMs = -2" }, System.Array.ConvertAll(diagnostics, AnalyzerHarness.Text));
    }

    [Theory]
    [InlineData("AcquireTimeoutMs = 0")]
    [InlineData("IdleTimeoutMs = 0, MaxLifetimeMs = 0, ValidateAfterIdleMs = 0, ShutdownTimeoutMs = 0")]
    [InlineData("HealthCheckIntervalMs = 0, ValidationTimeoutMs = 0, LeakThresholdMs = 0")]
    [InlineData("AcquireTimeoutMs = int.MaxValue")]
    public void ZeroOrPositiveTimes_ReportNothing(string arguments)
    {
        Assert.Empty(Run(arguments));
    }

    [Theory]
    [InlineData("LifetimeJitterPercent = 50.5", "50.5 %")]
    [InlineData("LifetimeJitterPercent = -1", "-1 %")]
    [InlineData("LifetimeJitterPercent = double.NaN", "NaN %")]
    public void JitterOutsideZeroToFifty_Reports_OfferingTheDefault(string argument, string shown)
    {
        string message = AnalyzerHarness.Single(Run(argument), "POOL005", argument);

        Assert.Equal(
            $"LifetimeJitterPercent of 'OrdersDb' is {shown}, but it must be between 0 and 50: use a percentage in that range (the default is 2.5; 0 turns jitter off)",
            message);
    }

    [Fact]
    public void NegativeRetries_Reports_SayingWhatZeroMeans()
    {
        string message = AnalyzerHarness.Single(Run("MaxRetryAttempts = -2"), "POOL005", "MaxRetryAttempts = -2");

        Assert.Equal(
            "MaxRetryAttempts of 'OrdersDb' is -2, but a number of retries cannot be negative: use 0 for one attempt and no retries, or a positive number (the default is 3)",
            message);
    }

    [Theory]
    [InlineData("LifetimeJitterPercent = 0")]
    [InlineData("LifetimeJitterPercent = 50")]
    [InlineData("LifetimeJitterPercent = 12.5, MaxRetryAttempts = 0")]
    [InlineData("MaxRetryAttempts = 10")]
    public void JitterAndRetriesInRange_ReportNothing(string arguments)
    {
        Assert.Empty(Run(arguments));
    }
}
