using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool108ExceptionLeakTests
{
    private static Diagnostic[] Run(string members)
    {
        string source = $$"""
            public sealed class Orders
            {
                private readonly Db _db = new Db();
                private bool _flag;

                {{members}}

                private static void Use(Db.Lease lease) => _ = lease.Connection;

                private static void Keep([TakesLease] Db.Lease lease) => lease.Dispose();
            }
            """;
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
        return AnalyzerHarness.Run(new LeaseLeakAnalyzer(), source);
    }

    [Fact]
    public void CallBetweenRentAndDispose_ReportsAtTheRent_NamingTheCall()
    {
        string message = AnalyzerHarness.Single(Run("""
            public void Run()
            {
                var lease = _db.Rent();
                Use(lease);
                lease.Dispose();
            }
            """), "POOL108", "_db.Rent()");

        Assert.Equal(
            "The lease from 'Rent' is not disposed if 'Use(lease)' at line 9 throws: 'lease' still holds it there and nothing disposes it on the way out; dispose it with 'using var' (or 'await using var') or in a 'finally'",
            message);
    }

    [Fact]
    public void AwaitBetweenRentAndDisposeAsync_Reports()
    {
        AnalyzerHarness.Single(Run("""
            public async Task RunAsync(CancellationToken ct)
            {
                var lease = await _db.RentAsync(ct);
                await Task.Delay(1, ct);
                await lease.DisposeAsync();
            }
            """), "POOL108", "_db.RentAsync(ct)");
    }

    [Fact]
    public void CatchThatDoesNotCatchEverything_IsTrusted_ButACallOutsideTheTryIsNot()
    {
        AnalyzerHarness.Single(Run("""
            public void Run()
            {
                var lease = _db.Rent();
                try
                {
                    Use(lease);
                }
                catch (InvalidOperationException)
                {
                    lease.Dispose();
                    throw;
                }

                Use(lease);
                lease.Dispose();
            }
            """), "POOL108", "_db.Rent()");
    }

    [Fact]
    public void IsInfo_AndNotRepeatedForALeakPool101Reports()
    {
        Diagnostic[] diagnostics = Run("""
            public void Leaks()
            {
                var lease = _db.Rent();
                Use(lease);
            }

            public void LeaksOnException()
            {
                var lease = _db.Rent(TimeSpan.Zero);
                Use(lease);
                lease.Dispose();
            }
            """);

        Assert.Equal(new[] { "POOL101", "POOL108" }, diagnostics.Select(d => d.Id));
        Assert.Equal(DiagnosticSeverity.Info, diagnostics[1].Severity);
        Assert.Equal("_db.Rent(TimeSpan.Zero)", AnalyzerHarness.Text(diagnostics[1]));
    }

    [Theory]
    [InlineData("using var lease = _db.Rent(); Use(lease);")]
    [InlineData("var lease = _db.Rent(); try { Use(lease); } finally { lease.Dispose(); }")]
    [InlineData("var lease = _db.Rent(); try { Use(lease); } catch { lease.Dispose(); throw; } lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); _ = lease.Connection.IsOpen; lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); lease.Invalidate(); lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); Keep(lease);")]
    [InlineData("var first = _db.Rent(); first.Dispose(); var second = _db.Rent(); second.Dispose();")]
    [InlineData("if (_db.TryRent(out var lease)) { using (lease) { Use(lease); } }")]
    [InlineData("Db.Lease lease = default; bool rented = false; try { lease = _db.Rent(); rented = true; Use(lease); } finally { if (rented) { lease.Dispose(); } }")]
    public void DisposedOnTheWayOutOrNothingThrowsInBetween_ReportsNothing(string body)
    {
        Assert.Empty(Run($$"""
            public void Run()
            {
                {{body}}
            }
            """));
    }

    [Fact]
    public void DisposeAsyncAfterTheWork_InAFinally_ReportsNothing()
    {
        Assert.Empty(Run("""
            public async Task RunAsync(CancellationToken ct)
            {
                var lease = await _db.RentAsync(ct).ConfigureAwait(false);
                try
                {
                    await Task.Delay(1, ct).ConfigureAwait(false);
                }
                finally
                {
                    await lease.DisposeAsync().ConfigureAwait(false);
                }
            }
            """));
    }
}
