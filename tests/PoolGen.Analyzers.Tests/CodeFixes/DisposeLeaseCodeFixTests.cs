using System.Threading.Tasks;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;
using PoolGen.CodeFixes;

namespace PoolGen.Analyzers.Tests.CodeFixes;

public sealed class DisposeLeaseCodeFixTests
{
    private static Task<string> FixAsync(string source, bool fixAll = false) =>
        CodeFixHarness.ApplyAsync(new LeaseLeakAnalyzer(), new DisposeLeaseCodeFixProvider(), source, fixAll);

    private static Task<bool> OffersFixAsync(string source) =>
        CodeFixHarness.OffersFixAsync(new LeaseLeakAnalyzer(), new DisposeLeaseCodeFixProvider(), source);

    private static string InMethod(string body) => $$"""
        public sealed class Orders
        {
            private readonly Db _db = new Db();
            private bool _flag;

            public async Task RunAsync(CancellationToken ct)
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public async Task LeakedRent_BecomesAUsingDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    // keep this comment
                    var lease = _db.Rent();
                    _ = lease.Connection;
                    await Task.Yield();
            """));

        Assert.Equal(InMethod("""
                    // keep this comment
                    using var lease = _db.Rent();
                    _ = lease.Connection;
                    await Task.Yield();
            """), fixedSource);
    }

    [Fact]
    public async Task LeakedAwaitedRent_BecomesAnAwaitUsingDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    Db.Lease lease = await _db.RentAsync(ct).ConfigureAwait(false);
                    _ = lease.Connection;
            """));

        Assert.Equal(InMethod("""
                    await using Db.Lease lease = await _db.RentAsync(ct).ConfigureAwait(false);
                    _ = lease.Connection;
            """), fixedSource);
    }

    [Fact]
    public async Task FixAll_FixesEveryDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    var first = _db.Rent();
                    if (_flag)
                    {
                        var second = await _db.RentAsync(ct);
                        _ = second.Connection;
                    }
            """), fixAll: true);

        Assert.Equal(InMethod("""
                    using var first = _db.Rent();
                    if (_flag)
                    {
                        await using var second = await _db.RentAsync(ct);
                        _ = second.Connection;
                    }
            """), fixedSource);
    }

    [Fact]
    public async Task TryRentSuccessBranch_IsWrappedInAUsingStatement()
    {
        string fixedSource = await FixAsync(InMethod("""
                    if (_db.TryRent(out var lease))
                    {
                        _ = lease.Connection;
                    }
            """));

        Assert.Equal(InMethod("""
                    if (_db.TryRent(out var lease))
                    {
                        using (lease)
                        {
                            _ = lease.Connection;
                        }
                    }
            """), fixedSource);
    }

    [Theory]
    [InlineData("var lease = _db.Rent(); if (_flag) { lease.Dispose(); }")]
    [InlineData("if (_db.TryRent(out var lease)) { if (_flag) { lease.Dispose(); } }")]
    [InlineData("if (!_db.TryRent(out var lease)) { return; } _ = lease.Connection;")]
    [InlineData("var lease = _db.Rent(); lease = _db.Rent(); lease.Dispose();")]
    [InlineData("switch (_flag) { case true: var lease = _db.Rent(); break; }")]
    [InlineData("var lease = _db.Rent(); _ = new Tuple<Db.Lease>(lease);")]
    public async Task DisposedElsewhere_OrNotADeclaration_OffersNoFix(string body)
    {
        Assert.False(await OffersFixAsync(InMethod(body)));
    }
}
