using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool102LeaseDiscardedTests
{
    private static Diagnostic[] Run(string body) => AnalyzerHarness.Run(new LeaseDiscardedAnalyzer(), $$"""
        public sealed class Orders
        {
            private readonly Db _db = new Db();

            public async Task RunAsync(CancellationToken ct)
            {
                {{body}}
                await Task.Yield();
            }
        }
        """);

    [Theory]
    [InlineData("_db.Rent();", "_db.Rent()")]
    [InlineData("_db.Rent(TimeSpan.FromSeconds(1));", "_db.Rent(TimeSpan.FromSeconds(1))")]
    [InlineData("await _db.RentAsync(ct);", "_db.RentAsync(ct)")]
    [InlineData("await _db.RentAsync(ct).ConfigureAwait(false);", "_db.RentAsync(ct)")]
    [InlineData("_ = _db.Rent();", "_db.Rent()")]
    [InlineData("_ = await _db.RentAsync(ct);", "_db.RentAsync(ct)")]
    [InlineData("_ = _db.RentAsync(ct);", "_db.RentAsync(ct)")]
    public void DiscardedLease_ReportsAtTheCall(string statement, string call)
    {
        string message = AnalyzerHarness.Single(Run(statement), "POOL102", call);

        Assert.StartsWith($"The lease returned by '{call.Split('(')[0].Split('.')[1]}' is discarded, so its connection never goes back to the pool", message);
    }

    [Theory]
    [InlineData("var connection = _db.Rent().Connection;", "_db.Rent()", "Connection")]
    [InlineData("var connection = (await _db.RentAsync(ct)).Connection;", "_db.RentAsync(ct)", "Connection")]
    [InlineData("var connection = (await _db.RentAsync(ct).ConfigureAwait(false)).Connection;", "_db.RentAsync(ct)", "Connection")]
    [InlineData("_ = _db.Rent().Connection.IsOpen;", "_db.Rent()", "Connection")]
    [InlineData("_db.Rent().Connection.Close();", "_db.Rent()", "Connection")]
    [InlineData("_db.Rent().Invalidate();", "_db.Rent()", "Invalidate()")]
    public void MemberReadOffTheRentedLease_ReportsTheRent(string statement, string call, string member)
    {
        string message = AnalyzerHarness.Single(Run(statement), "POOL102", call);

        Assert.Contains($"is discarded as soon as its '{member}' is read, so its connection never goes back to the pool", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void GetConnectionHelper_ReportsTheRent()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseDiscardedAnalyzer(), """
            public sealed class Repository
            {
                private readonly Db _db = new Db();

                public FakeConnection GetConnection() => _db.Rent().Connection;

                public async Task<FakeConnection> GetConnectionAsync() => (await _db.RentAsync()).Connection;
            }
            """);

        Assert.Equal(new[] { "_db.Rent()", "_db.RentAsync()" }, System.Array.ConvertAll(diagnostics, AnalyzerHarness.Text));
        Assert.All(diagnostics, d => Assert.Contains("return the lease itself", d.GetMessage(), System.StringComparison.Ordinal));
    }

    [Fact]
    public void RentPassedStraightToABorrowingParameter_Reports_ButNotToATakerOrAGenericParameter()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseDiscardedAnalyzer(), """
            public sealed class Orders
            {
                private readonly Db _db = new Db();
                private readonly System.Collections.Generic.List<Db.Lease> _held = new();

                public async Task RunAsync()
                {
                    Use(_db.Rent());
                    Use(await _db.RentAsync());
                    Keep(_db.Rent(TimeSpan.Zero));
                    _held.Add(_db.Rent(TimeSpan.Zero));
                    using Db.Lease fromTask = await Task.FromResult(_db.Rent(TimeSpan.Zero)).ConfigureAwait(false);
                }

                private static void Use(Db.Lease lease) => _ = lease.Connection;

                private static void Keep([TakesLease] Db.Lease lease) => lease.Dispose();
            }
            """);

        Assert.Equal(new[] { "_db.Rent()", "_db.RentAsync()" }, System.Array.ConvertAll(diagnostics, AnalyzerHarness.Text));
        Assert.Contains("is discarded once 'Use' returns, which only borrows it", diagnostics[0].GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_ = _db.TryRent(out _);")]
    [InlineData("if (!_db.TryRent(out _)) { return; }")]
    [InlineData("bool free = _db.TryRent(out Db.Lease _);")]
    public void TryRentIntoTheDiscard_Reports(string statement)
    {
        Diagnostic diagnostic = Assert.Single(Run(statement));
        Assert.Equal("POOL102", diagnostic.Id);
        Assert.StartsWith("_db.TryRent(out", AnalyzerHarness.Text(diagnostic), System.StringComparison.Ordinal);
        Assert.Contains("is discarded into 'out _'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void DiscardedLeaseOfAHandWrittenType_Reports_InBlockAndExpressionBodies()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseDiscardedAnalyzer(), """
            [PoolLease]
            public readonly struct MyLease : IDisposable
            {
                public void Dispose() { }
            }

            public static class Leases
            {
                public static MyLease Take() => default;

                public static void Use() => Take();

                public static void UseInStatement()
                {
                    Take();
                }
            }
            """);

        Assert.Equal(new[] { "Take()", "Take()" }, System.Array.ConvertAll(diagnostics, AnalyzerHarness.Text));
    }

    [Theory]
    [InlineData("using var lease = _db.Rent();")]
    [InlineData("using (_db.Rent()) { }")]
    [InlineData("await using var lease = await _db.RentAsync(ct);")]
    [InlineData("var lease = _db.Rent(); lease.Dispose();")]
    [InlineData("if (_db.TryRent(out Db.Lease lease)) { lease.Dispose(); }")]
    [InlineData("_db.TryRent(out Db.Lease lease); lease.Dispose();")]
    [InlineData("_db.Clear();")]
    [InlineData("await _db.WarmUpAsync(ct);")]
    [InlineData("Db.Lease[] leases = { _db.Rent() }; leases[0].Dispose();")]
    [InlineData("_db.Rent().Dispose();")]
    [InlineData("await _db.Rent().DisposeAsync();")]
    [InlineData("using var lease = _db.Rent(); var connection = lease.Connection;")]
    [InlineData("if (_db.TryRent(out var lease)) { lease.Dispose(); }")]
    public void LeaseKeptOrNoLease_ReportsNothing(string statement)
    {
        Assert.Empty(Run(statement));
    }

    [Fact]
    public void LeaseReturnedFromAMethod_ReportsNothing()
    {
        Assert.Empty(AnalyzerHarness.Run(new LeaseDiscardedAnalyzer(), """
            public sealed class Orders
            {
                private readonly Db _db = new Db();

                public Db.Lease Take() => _db.Rent();

                public ValueTask<Db.Lease> TakeAsync() => _db.RentAsync();

                public Func<Db.Lease> Later() => () => _db.Rent();
            }
            """));
    }
}
