using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool003IsBrokenTests
{
    [Fact]
    public void AsynchronousIsBroken_IsNotUsable_AndTheMessageSaysWhy()
    {
        const string source = """
            [ConnectionPool(IsBroken = nameof(IsBrokenAsync))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private static ValueTask<bool> IsBrokenAsync(FakeConnection c) => new(false);
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL003", "IsBroken = nameof(IsBrokenAsync)");

        Assert.Equal(
            "IsBroken = \"IsBrokenAsync\" names no method of a usable signature (found 'IsBrokenAsync(FakeConnection)'): declare one of bool M(FakeConnection) (static or instance; it runs on every return, so it must be synchronous and cheap)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void IsBrokenNamingNothing_IsReported()
    {
        string message = AnalyzerHarness.Single(AnalyzerHarness.Run("""
            [ConnectionPool(IsBroken = "Broken")]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """), "POOL003", "IsBroken = \"Broken\"");

        Assert.StartsWith("IsBroken = \"Broken\" names no method of 'OrdersDb'", message);
    }

    [Fact]
    public void SynchronousIsBroken_StaticOrInstance_RaisesNothingAndGeneratesThePool()
    {
        const string source = """
            [ConnectionPool(IsBroken = nameof(IsBroken))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private bool IsBroken(FakeConnection c) => false;
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
        Assert.Equal(1, AnalyzerHarness.GeneratedPools(source));
    }
}
