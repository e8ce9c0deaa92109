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
    [InlineData("AcquireTimeoutMs = int.MaxValue")]
    public void ZeroOrPositiveTimes_ReportNothing(string arguments)
    {
        Assert.Empty(Run(arguments));
    }
}
