using System.Threading.Tasks;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;
using PoolGen.CodeFixes;

namespace PoolGen.Analyzers.Tests.CodeFixes;

public sealed class UseLeaseCodeFixTests
{
    private static Task<string> FixAsync(string source, bool fixAll = false) =>
        CodeFixHarness.ApplyAsync(new LeaseDiscardedAnalyzer(), new UseLeaseCodeFixProvider(), source, fixAll);

    private static string InMethod(string body) => $$"""
        public sealed class Orders
        {
            private readonly Db _db = new Db();

            public async Task RunAsync(CancellationToken ct)
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public async Task DiscardedRent_BecomesAUsingDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    _db.Rent();
                    await Task.Yield();
            """));

        Assert.Equal(InMethod("""
                    using var lease = _db.Rent();
                    await Task.Yield();
            """), fixedSource);
    }

    [Fact]
    public async Task DiscardedAwaitedRent_BecomesAnAwaitUsingDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    // keep this comment
                    await _db.RentAsync(ct);
            """));

        Assert.Equal(InMethod("""
                    // keep this comment
                    await using var lease = await _db.RentAsync(ct);
            """), fixedSource);
    }

    [Fact]
    public async Task AssignmentToDiscard_BecomesAUsingDeclaration()
    {
        string fixedSource = await FixAsync(InMethod("""
                    _ = _db.Rent();
            """));

        Assert.Equal(InMethod("""
                    using var lease = _db.Rent();
            """), fixedSource);
    }

    [Fact]
    public async Task NameInUse_PicksTheNextFreeName()
    {
        string fixedSource = await FixAsync(InMethod("""
                    int lease = 1;
                    _db.Rent();
            """));

        Assert.Contains("using var lease2 = _db.Rent();", fixedSource);
    }

    [Fact]
    public async Task FixAll_NamesEachLeaseOfAScopeDifferently()
    {
        string fixedSource = await FixAsync(InMethod("""
                    _db.Rent();
                    await _db.RentAsync(ct);
                    _ = _db.Rent();
            """), fixAll: true);

        Assert.Equal(InMethod("""
                    using var lease = _db.Rent();
                    await using var lease2 = await _db.RentAsync(ct);
                    using var lease3 = _db.Rent();
            """), fixedSource);
    }

    [Fact]
    public async Task FixAll_InNestedBlocks_NamesLeasesApart()
    {
        string fixedSource = await FixAsync(InMethod("""
                    _db.Rent();
                    if (ct.CanBeCanceled)
                    {
                        _db.Rent();
                    }
            """), fixAll: true);

        Assert.Equal(InMethod("""
                    using var lease = _db.Rent();
                    if (ct.CanBeCanceled)
                    {
                        using var lease2 = _db.Rent();
                    }
            """), fixedSource);
    }

    [Fact]
    public async Task EmbeddedStatementOrUnawaitedTask_IsNotFixed()
    {
        // 'if (x) using var l = ...;' does not compile, and whether to await a task is the user's call.
        Assert.False(await CodeFixHarness.OffersFixAsync(new LeaseDiscardedAnalyzer(), new UseLeaseCodeFixProvider(), InMethod("""
                    if (ct.CanBeCanceled) _db.Rent();
            """)));
        Assert.False(await CodeFixHarness.OffersFixAsync(new LeaseDiscardedAnalyzer(), new UseLeaseCodeFixProvider(), InMethod("""
                    _ = _db.RentAsync(ct);
            """)));
    }

    [Theory]
    [InlineData("_db.Rent().Connection.Close();")]
    [InlineData("_ = _db.TryRent(out _);")]
    public async Task MemberReadOffTheLeaseOrTryRentIntoTheDiscard_IsNotFixed(string statement)
    {
        // A using declaration of the whole statement would keep a connection or a bool, not the lease.
        Assert.False(await CodeFixHarness.OffersFixAsync(new LeaseDiscardedAnalyzer(), new UseLeaseCodeFixProvider(), InMethod(statement)));
    }
}
