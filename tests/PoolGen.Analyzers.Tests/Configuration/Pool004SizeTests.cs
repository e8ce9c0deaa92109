using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool004SizeTests
{
    private static Diagnostic[] Run(string arguments) => AnalyzerHarness.Run($$"""
        [ConnectionPool({{arguments}})]
        public sealed partial class OrdersDb
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    [Fact]
    public void NegativeMin_ReportsAtMin()
    {
        string message = AnalyzerHarness.Single(Run("Min = -1"), "POOL004", "Min = -1");

        Assert.Equal("Min of 'OrdersDb' is -1, but it must be between 0 and Max: use 0 to open connections only when they are rented", message);
    }

    [Fact]
    public void NegativeMaxConcurrentOpens_ReportsAtTheArgument()
    {
        string message = AnalyzerHarness.Single(Run("MaxConcurrentOpens = -2"), "POOL004", "MaxConcurrentOpens = -2");

        Assert.Equal("MaxConcurrentOpens of 'OrdersDb' is -2, but it must be 0 or more: use 0 for no limit, or the number of connections the database should see opened at once", message);
        Assert.Empty(Run("MaxConcurrentOpens = 0"));
    }

    [Theory]
    [InlineData("Max = 0", "0")]
    [InlineData("Max = -5", "-5")]
    [InlineData("Max = 1048577", "1048577")]
    public void MaxOutOfRange_ReportsAtMax(string argument, string value)
    {
        string message = AnalyzerHarness.Single(Run(argument), "POOL004", argument);

        Assert.Equal($"Max of 'OrdersDb' is {value}, but it must be between 1 and 1048576: pick the number of connections the database can serve at once", message);
    }

    [Fact]
    public void MinAboveMax_ReportsAtMin_WithBothNumbers()
    {
        string message = AnalyzerHarness.Single(Run("Min = 20, Max = 10"), "POOL004", "Min = 20");

        Assert.Equal("Min of 'OrdersDb' is 20, but Max is 10 and Min must not exceed it: lower Min or raise Max", message);
    }

    [Fact]
    public void MinAboveTheDefaultMax_Reports()
    {
        string message = AnalyzerHarness.Single(Run("Min = 101"), "POOL004", "Min = 101");

        Assert.Contains("Max is 100", message);
    }

    [Fact]
    public void ConstantExpressions_AreEvaluated()
    {
        AnalyzerHarness.Single(Run("Max = 50 - 100"), "POOL004", "Max = 50 - 100");
    }

    [Theory]
    [InlineData("Min = 0, Max = 1")]
    [InlineData("Min = 10, Max = 10")]
    [InlineData("Max = 1048576")]
    [InlineData("Min = 100")]
    public void SizesInRange_ReportNothing(string arguments)
    {
        Assert.Empty(Run(arguments));
    }
}
