using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool001NotPartialTests
{
    [Fact]
    public void ClassNotPartial_ReportsAtItsName_AndTheGeneratorEmitsNothing()
    {
        const string source = """
            [ConnectionPool]
            public sealed class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL001", "OrdersDb");

        Assert.Equal("'OrdersDb' is not partial, so no pool is generated for 'OrdersDb': add the 'partial' modifier to every declaration of 'OrdersDb'", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void ContainingTypeNotPartial_ReportsAtThePoolsName_NamingTheContainingType()
    {
        const string source = """
            public static class Data
            {
                [ConnectionPool]
                public sealed partial class OrdersDb
                {
                    private FakeConnection Create() => new FakeConnection();
                }
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL001", "OrdersDb");

        Assert.StartsWith("'Data' is not partial, so no pool is generated for 'OrdersDb'", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void SecondDeclarationNotPartial_ReportsAtThatDeclaration()
    {
        // The compiler also reports CS0260 here; the analyzer says what it means for the pool.
        Diagnostic[] diagnostics = AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """, """
            public sealed class OrdersDb
            {
            }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("POOL001", diagnostic.Id);
        Assert.Equal("User2.cs", diagnostic.Location.SourceTree!.FilePath);
    }

    [Fact]
    public void PartialClass_ReportsNothing()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void PartialClassInsidePartialTypes_ReportsNothing()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run("""
            public static partial class Data
            {
                public partial class Inner
                {
                    [ConnectionPool]
                    public sealed partial class OrdersDb
                    {
                        private FakeConnection Create() => new FakeConnection();
                    }
                }
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void ClassWithoutTheAttribute_IsNotAnalyzed()
    {
        Assert.Empty(AnalyzerHarness.Run("public sealed class Plain { }"));
    }
}
