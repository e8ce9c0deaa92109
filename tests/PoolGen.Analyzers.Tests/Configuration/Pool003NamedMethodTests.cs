using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool003NamedMethodTests
{
    [Fact]
    public void ValidateNamesMissingMethod_ReportsAtTheArgument_WithTheAcceptedSignatures()
    {
        const string source = """
            [ConnectionPool(Validate = "IsAlive")]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL003", "Validate = \"IsAlive\"");

        Assert.Equal(
            "Validate = \"IsAlive\" names no method of 'OrdersDb': declare one of bool M(FakeConnection), ValueTask<bool> M(FakeConnection[, CancellationToken]) or Task<bool> M(FakeConnection[, CancellationToken]) (static or instance)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void ValidateOfUnusableSignature_ReportsTheMethodFound()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool(Validate = nameof(IsAlive))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private static int IsAlive(FakeConnection c) => 1;
            }
            """), "POOL003", "Validate = nameof(IsAlive)");

        Assert.StartsWith("Validate = \"IsAlive\" names no method of a usable signature (found 'IsAlive(FakeConnection)')", message);
    }

    [Fact]
    public void SyncResetTakingAToken_IsNotUsable()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool(Reset = nameof(Clean))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private void Clean(FakeConnection c, CancellationToken ct) { }
            }
            """), "POOL003", "Reset = nameof(Clean)");

        Assert.Contains("declare one of void M(FakeConnection), ValueTask M(FakeConnection[, CancellationToken])", message);
    }

    [Fact]
    public void CloseWithTwoUsableOverloads_ReportsAmbiguity()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool(Close = nameof(Shut))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private void Shut(FakeConnection c) { }
                private void Shut(IDisposable c) { }
            }
            """), "POOL003", "Close = nameof(Shut)");

        Assert.StartsWith("Close = \"Shut\" names 2 methods of a usable signature", message);
    }

    [Fact]
    public void FactoryNamesMissingMethod_ReportsPool003NotPool002()
    {
        const string source = """
            [ConnectionPool(Factory = "Open")]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL003", "Factory = \"Open\"");

        Assert.StartsWith("Factory = \"Open\" names no method of 'OrdersDb': declare one of C M(), C M(CancellationToken)", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void FactoryNamesMethodOfUnusableSignature_Reports()
    {
        AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool(Factory = nameof(Open))]
            public sealed partial class OrdersDb
            {
                private void Open() { }
            }
            """), "POOL003", "Factory = nameof(Open)");
    }

    [Fact]
    public void EveryNamedMethodUsable_ReportsNothing_AndTheGeneratorEmitsAPool()
    {
        const string source = """
            [ConnectionPool(Factory = nameof(Open), Validate = nameof(IsAliveAsync), Reset = nameof(Clean), Close = nameof(Shut))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Open() => new FakeConnection();
                private FakeConnection Open(string name) => new FakeConnection();
                private static ValueTask<bool> IsAliveAsync(FakeConnection c, CancellationToken ct) => new(c.IsOpen);
                private Task Clean(IDisposable c) => Task.CompletedTask;
                private static void Shut(FakeConnection c) => c.Close();
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
        Assert.Equal(1, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void NamedMethodsAreNotJudgedWithoutAFactory()
    {
        // The connection type comes from the factory: POOL002 alone says what to fix first.
        Assert.Equal("POOL002", Assert.Single(AnalyzerHarness.Run("""
            [ConnectionPool(Validate = "Missing")]
            public sealed partial class OrdersDb
            {
            }
            """)).Id);
    }
}
