using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool006UnsupportedClassTests
{
    [Fact]
    public void GenericClass_ReportsAtTheName_AndTheGeneratorEmitsNothing()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb<T>
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL006", "OrdersDb");

        Assert.StartsWith("'OrdersDb' is generic, so no pool is generated for it", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void ClassNestedInAGenericType_Reports()
    {
        const string source = """
            public partial class Outer<T>
            {
                [ConnectionPool]
                public sealed partial class OrdersDb
                {
                    private FakeConnection Create() => new FakeConnection();
                }
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL006", "OrdersDb");

        Assert.StartsWith("'OrdersDb' is nested in the generic type 'Outer'", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void StaticClass_Reports()
    {
        const string source = """
            [ConnectionPool]
            public static partial class OrdersDb
            {
                private static FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL006", "OrdersDb");

        Assert.StartsWith("'OrdersDb' is static, so no pool is generated for it", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void FileLocalClass_ReportsWhatToDo_AndNothingIsGeneratedToFailToCompile()
    {
        const string source = """
            [ConnectionPool]
            file sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL006", "OrdersDb");

        Assert.Equal(
            "'OrdersDb' is file-local, so no pool is generated for it: a file-local type cannot have a part in the generated file; declare it 'internal' instead of 'file'",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
    }

    [Fact]
    public void ClassNestedInAFileLocalType_ReportsTheFileLocalType()
    {
        const string source = """
            file partial class Outer
            {
                [ConnectionPool]
                public sealed partial class OrdersDb
                {
                    private FakeConnection Create() => new FakeConnection();
                }
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL006", "OrdersDb");

        Assert.Equal(
            "'OrdersDb' is nested in the file-local type 'Outer', so no pool is generated for it: a file-local type cannot have a part in the generated file; declare 'Outer' 'internal' instead of 'file'",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
    }

    [Fact]
    public void SealedRecordClass_ReportsNothing()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial record OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
    }
}
