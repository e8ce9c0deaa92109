using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

public sealed class Pool007MemberClashTests
{
    [Fact]
    public void MethodNamedLikeAGeneratedOne_ReportsAtTheMember_AndTheGeneratorEmitsNothing()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();

                public void Clear() { }
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL007", "Clear");

        Assert.Equal(
            "The method 'Clear' has the name of a member the pool adds to 'OrdersDb', so no pool is generated for 'OrdersDb': rename it "
            + "(the pool adds Rent, RentAsync, TryRent, Stats, GetHealth, GetLoad, GetAdvice, CheckHealthAsync, WarmUpAsync, Clear, Resize, Dispose, DisposeAsync, "
            + "Lease, ConnectionPoolPolicy, PoolEngine, CreatePoolEngine, _poolEngine and _poolEngineLock)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Theory]
    [InlineData("public int Stats;", "field", "Stats")]
    [InlineData("private const int Resize = 1;", "constant", "Resize")]
    [InlineData("public string Lease { get; set; } = \"\";", "property", "Lease")]
    [InlineData("public sealed class ConnectionPoolPolicy { }", "nested type", "ConnectionPoolPolicy")]
    [InlineData("public event Action? WarmUpAsync;", "event", "WarmUpAsync")]
    [InlineData("private readonly object? _poolEngine = null;", "field", "_poolEngine")]
    [InlineData("private readonly object _poolEngineLock = new();", "field", "_poolEngineLock")]
    [InlineData("private object? PoolEngine => null;", "property", "PoolEngine")]
    [InlineData("private void CreatePoolEngine() { }", "method", "CreatePoolEngine")]
    [InlineData("public int GetHealth() => 0;", "method", "GetHealth")]
    [InlineData("public Task CheckHealthAsync() => Task.CompletedTask;", "method", "CheckHealthAsync")]
    [InlineData("public int Dispose;", "field", "Dispose")]
    // An overload could compile, but it would change what a call such as Rent(...) binds to: rename it too.
    [InlineData("public FakeConnection Rent(string tenant) => new FakeConnection();", "method", "Rent")]
    [InlineData("public bool TryRent(out FakeConnection c) { c = new FakeConnection(); return true; }", "method", "TryRent")]
    [InlineData("public ValueTask<FakeConnection> RentAsync(int priority) => default;", "method", "RentAsync")]
    public void MemberOfAnyKind_IsReported(string member, string kind, string name)
    {
        string source = $$"""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();

                {{member}}
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL007", name);

        Assert.StartsWith($"The {kind} '{name}' has the name of a member the pool adds to 'OrdersDb'", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
    }

    [Fact]
    public void PositionalRecordProperty_IsReportedAtItsParameterName()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial record OrdersDb(string Stats)
            {
                private FakeConnection Create() => new FakeConnection();
            }
            """;

        Assert.StartsWith("The property 'Stats'", AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL007", "Stats"));
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void EveryClashingMember_IsReported()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run("""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();

                public void Resize() { }

                public void Resize(int size) { }

                public int Stats => 0;
            }
            """);

        Assert.Equal(new[] { "POOL007", "POOL007", "POOL007" }, diagnostics.Select(d => d.Id));
        Assert.Equal(new[] { "Resize", "Resize", "Stats" }, diagnostics.Select(AnalyzerHarness.Text));
    }

    [Fact]
    public void WhenTheClassHasItsOwnDispose_DisposePoolIsTakenAndDisposeIsNot()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb : IDisposable
            {
                private FakeConnection Create() => new FakeConnection();

                public void Dispose() { }

                public int DisposePoolAsync;
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL007", "DisposePoolAsync");

        Assert.Contains("(the pool adds Rent, RentAsync, TryRent, Stats, GetHealth, GetLoad, GetAdvice, CheckHealthAsync, WarmUpAsync, Clear, Resize, DisposePool, DisposePoolAsync, Lease,", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Theory]
    [InlineData("public void Dispose() => DisposePool();")]
    [InlineData("public ValueTask DisposeAsync() => DisposePoolAsync();")]
    [InlineData("public void Dispose(bool disposing) { }")]
    [InlineData("public ValueTask DisposeAsync(CancellationToken cancellationToken) => default;")]
    [InlineData("partial void ConfigurePool(PoolOptions options) => options.Max = 8;")]
    [InlineData("public void ClearCache() { }")]
    public void MembersThatDoNotClash_ReportNothing_AndThePoolIsGenerated(string member)
    {
        string source = $$"""
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();

                {{member}}
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
        Assert.Equal(1, AnalyzerHarness.GeneratedPools(source));
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
    }

    [Fact]
    public void Clash_LeavesNoCompilerError_AndTheProjectsOtherDiagnosticsStillAppear()
    {
        // Before POOL007 the generated file failed to compile here (CS0102), and that error hid every POOL diagnostic.
        const string clash = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();

                public int Stats { get; set; }
            }
            """;
        const string elsewhere = """
            public static class Reports
            {
                public static void Run(Db db) => db.Rent();
            }
            """;

        Diagnostic[] diagnostics = AnalyzerHarness.Run(clash, elsewhere);

        Assert.Empty(AnalyzerHarness.CompileErrors(clash, elsewhere));
        Assert.Equal(new[] { "POOL007", "POOL102" }, diagnostics.Select(d => d.Id).OrderBy(id => id));
    }
}
