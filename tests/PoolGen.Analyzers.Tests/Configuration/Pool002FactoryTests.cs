using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool002FactoryTests
{
    [Fact]
    public void NoFactory_ReportsAtTheClassName_WithTheConventionalNames()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Open() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL002", "OrdersDb");

        Assert.StartsWith("'OrdersDb' has no factory: add a method named Create, CreateAsync, CreateConnection, CreateConnectionAsync", message);
        Assert.Contains("ValueTask<C>", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void TwoConventionalFactories_ReportsAmbiguity_NamingBoth()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private Task<FakeConnection> CreateConnectionAsync(CancellationToken ct) => Task.FromResult(new FakeConnection());
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL002", "OrdersDb");

        Assert.Equal(
            "'OrdersDb' has 2 factory candidates ('Create()', 'CreateConnectionAsync(CancellationToken)'): mark the one to use with [PoolFactory] or name it with Factory = nameof(...)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void ConventionalNameOfUnusableSignature_ReportsTheMethodFound()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create(string name) => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL002", "OrdersDb");

        Assert.StartsWith("'OrdersDb' has no factory of a usable signature (found 'Create(string)')", message);
    }

    [Fact]
    public void FactoryReturningAStruct_IsNotUsable()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private int Create() => 1;
            }
            """), "POOL002", "OrdersDb");

        Assert.Contains("a class or interface", message);
    }

    [Fact]
    public void TwoMethodsMarkedPoolFactory_Reports()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                [PoolFactory] private FakeConnection Open() => new FakeConnection();
                [PoolFactory] private FakeConnection Connect() => new FakeConnection();
            }
            """), "POOL002", "OrdersDb");

        Assert.StartsWith("'OrdersDb' has 2 methods marked [PoolFactory] ('Open()', 'Connect()')", message);
    }

    [Fact]
    public void MarkedFactoryOfUnusableSignature_Reports()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                [PoolFactory] private FakeConnection Open(int attempt) => new FakeConnection();
            }
            """), "POOL002", "OrdersDb");

        Assert.StartsWith("'OrdersDb' marks 'Open(int)' with [PoolFactory], but a factory must be", message);
    }

    [Theory]
    [InlineData("private FakeConnection Create() => new FakeConnection();")]
    [InlineData("private static FakeConnection CreateConnection(CancellationToken ct) => new FakeConnection();")]
    [InlineData("private ValueTask<FakeConnection> CreateAsync(CancellationToken ct) => new(new FakeConnection());")]
    [InlineData("private Task<IDisposable> CreateConnectionAsync() => Task.FromResult<IDisposable>(new FakeConnection());")]
    [InlineData("[PoolFactory] private FakeConnection Open() => new FakeConnection(); private FakeConnection Create() => new FakeConnection();")]
    [InlineData("private FakeConnection Create() => new FakeConnection(); private FakeConnection Create(string name) => new FakeConnection();")]
    public void UsableFactory_ReportsNothing_AndTheGeneratorEmitsAPool(string members)
    {
        string source = $$"""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                {{members}}
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
        Assert.Equal(1, AnalyzerHarness.GeneratedPools(source));
    }
}
