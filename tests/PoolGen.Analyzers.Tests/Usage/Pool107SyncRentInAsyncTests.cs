using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool107SyncRentInAsyncTests
{
    private static Diagnostic[] Run(string members) => AnalyzerHarness.Run(new SyncRentInAsyncAnalyzer(), $$"""
        public sealed class Orders
        {
            private readonly Db _db = new Db();

            {{members}}
        }
        """);

    [Fact]
    public void RentInAsyncMethod_ReportsAnInfo_AtTheCall()
    {
        Diagnostic[] diagnostics = Run("""
            public async Task RunAsync()
            {
                using var lease = _db.Rent();
                await Task.Yield();
            }
            """);

        string message = AnalyzerHarness.Single(diagnostics, "POOL107", "_db.Rent()");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal("'_db.Rent()' blocks a thread while it waits for a connection inside an async method: use 'await _db.RentAsync(...)' instead", message);
    }

    [Theory]
    [InlineData("public Func<Task> Run() => async () => { using var lease = _db.Rent(); await Task.Yield(); };")]
    [InlineData("public Func<Task> Run() => async delegate { using var lease = _db.Rent(); await Task.Yield(); };")]
    [InlineData("public void Run() { async Task LocalAsync() { using var lease = _db.Rent(TimeSpan.FromSeconds(1)); await Task.Yield(); } _ = LocalAsync(); }")]
    [InlineData("public async ValueTask<int> RunAsync() { await Task.Yield(); return _db.Rent().Connection.IsOpen ? 1 : 0; }")]
    public void RentInAsyncLambdaOrLocalFunction_Reports(string members)
    {
        Assert.Equal("POOL107", Assert.Single(Run(members)).Id);
    }

    [Theory]
    [InlineData("public void Run() { using var lease = _db.Rent(); }")]
    [InlineData("public async Task RunAsync() { await using var lease = await _db.RentAsync(); }")]
    [InlineData("public async Task RunAsync() { Action a = () => { using var lease = _db.Rent(); }; a(); await Task.Yield(); }")]
    [InlineData("public async Task RunAsync() { Func<Db.Lease> f = () => _db.Rent(); using var lease = f(); await Task.Yield(); }")]
    [InlineData("public async Task RunAsync() { if (_db.TryRent(out Db.Lease lease)) { lease.Dispose(); } await Task.Yield(); }")]
    [InlineData("public Task RunAsync() { using var lease = _db.Rent(); return Task.CompletedTask; }")]
    public void RentOutsideAsyncCodeOrAsyncRent_ReportsNothing(string members)
    {
        Assert.Empty(Run(members));
    }

    [Fact]
    public void RentInTopLevelStatementsThatAwait_Reports()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(
            new SyncRentInAsyncAnalyzer(),
            Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
            """
            var db = new Db();
            using var lease = db.Rent();
            await Task.Yield();
            """);

        AnalyzerHarness.Single(diagnostics, "POOL107", "db.Rent()");
    }

    [Fact]
    public void RentInTopLevelStatementsThatDoNotAwait_ReportsNothing()
    {
        Assert.Empty(AnalyzerHarness.Run(
            new SyncRentInAsyncAnalyzer(),
            Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
            """
            var db = new Db();
            using var lease = db.Rent();
            """));
    }

    [Fact]
    public void AMethodNamedRentOnATypeThatIsNotAPool_ReportsNothing()
    {
        Assert.Empty(AnalyzerHarness.Run(new SyncRentInAsyncAnalyzer(), """
            [PoolLease]
            public readonly struct MyLease : IDisposable
            {
                public void Dispose() { }
            }

            public sealed class Shop
            {
                public MyLease Rent() => default;

                public async Task RunAsync()
                {
                    using var lease = Rent();
                    await Task.Yield();
                }
            }
            """));
    }
}
