using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

/// <summary>
/// POOL004 and POOL005 report a value exactly when <see cref="PoolOptions.Validate"/> would throw for it, with the
/// exception's own message: the rules and their texts exist once, in the runtime, and the analyzer compiles them in.
/// Every numeric option is tried, so one added later is covered without a change here.
/// </summary>
public sealed class OptionRulesAgreementTests
{
    private static readonly int[] IntValues = { -1, 0, 1, 100, 101, 1 << 20, (1 << 20) + 1 };

    private static readonly double[] DoubleValues = { -1, 0, 2.5, 50, 50.5, double.NaN };

    public static IEnumerable<object[]> NumericOptionValues() =>
        from property in typeof(PoolOptions).GetProperties()
        where property.CanWrite && typeof(ConnectionPoolAttribute).GetProperty(property.Name)?.PropertyType == property.PropertyType
        from value in property.PropertyType == typeof(int) ? IntValues.Select(v => (object)v)
            : property.PropertyType == typeof(double) ? DoubleValues.Select(v => (object)v)
            : Enumerable.Empty<object>()
        select new[] { property.Name, value };

    [Theory]
    [MemberData(nameof(NumericOptionValues))]
    public void Analyzer_ReportsAValueExactlyWhenTheRuntimeRejectsIt_WithItsMessage(string setting, object value)
    {
        var options = new PoolOptions("OrdersDb");
        typeof(PoolOptions).GetProperty(setting)!.SetValue(options, value);
        Exception? thrown = Record.Exception(options.Validate);

        Diagnostic[] reported = Run($"{setting} = {Literal(value)}");

        if (thrown is null)
        {
            Assert.Empty(reported);
            return;
        }

        var outOfRange = Assert.IsType<ArgumentOutOfRangeException>(thrown);
        Diagnostic diagnostic = Assert.Single(reported);
        Assert.Equal(setting, outOfRange.ParamName);
        Assert.StartsWith(diagnostic.GetMessage(CultureInfo.InvariantCulture) + ".", outOfRange.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinAboveMax_IsReportedWithTheRuntimesMessage()
    {
        Exception thrown = Assert.Throws<ArgumentOutOfRangeException>(new PoolOptions("OrdersDb") { Min = 20, Max = 10 }.Validate);

        Diagnostic diagnostic = Assert.Single(Run("Min = 20, Max = 10"));

        Assert.StartsWith(diagnostic.GetMessage(CultureInfo.InvariantCulture) + ".", thrown.Message, StringComparison.Ordinal);
    }

    private static Diagnostic[] Run(string arguments) => AnalyzerHarness.Run(new PoolGen.Analyzers.Configuration.ConfigurationAnalyzer(), $$"""
        [ConnectionPool({{arguments}})]
        public sealed partial class OrdersDb
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """);

    private static string Literal(object value) => value switch
    {
        double number when double.IsNaN(number) => "double.NaN",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
