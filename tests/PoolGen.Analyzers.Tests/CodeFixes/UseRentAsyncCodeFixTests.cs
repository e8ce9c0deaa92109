using System.Threading.Tasks;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;
using PoolGen.CodeFixes;

namespace PoolGen.Analyzers.Tests.CodeFixes;

public sealed class UseRentAsyncCodeFixTests
{
    private static Task<string> FixAsync(string source, bool fixAll = false) =>
        CodeFixHarness.ApplyAsync(new SyncRentInAsyncAnalyzer(), new UseRentAsyncCodeFixProvider(), source, fixAll);

    private static string InMethod(string body) => $$"""
        public sealed class Orders
        {
            private readonly Db _db = new Db();

            public async Task<bool> RunAsync()
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public async Task UsingDeclaration_BecomesAwaitUsingOfRentAsync()
    {
        string fixedSource = await FixAsync(InMethod("""
                    using var lease = _db.Rent();
                    return lease.Connection.IsOpen;
            """));

        Assert.Equal(InMethod("""
                    await using var lease = await _db.RentAsync();
                    return lease.Connection.IsOpen;
            """), fixedSource);
    }

    [Fact]
    public async Task UsingStatement_BecomesAwaitUsing_KeepingTheArguments()
    {
        string fixedSource = await FixAsync(InMethod("""
                    using (Db.Lease lease = _db.Rent(TimeSpan.FromSeconds(1)))
                    {
                        return lease.Connection.IsOpen;
                    }
            """));

        Assert.Equal(InMethod("""
                    await using (Db.Lease lease = await _db.RentAsync(TimeSpan.FromSeconds(1)))
                    {
                        return lease.Connection.IsOpen;
                    }
            """), fixedSource);
    }

    [Fact]
    public async Task MemberAccessOnTheLease_IsParenthesized()
    {
        string fixedSource = await FixAsync(InMethod("""
                    return _db.Rent().Connection.IsOpen;
            """));

        Assert.Contains("return (await _db.RentAsync()).Connection.IsOpen;", fixedSource);
    }

    [Fact]
    public async Task FixAll_FixesEveryRentOfTheDocument()
    {
        string fixedSource = await FixAsync(InMethod("""
                    using var first = _db.Rent();
                    using var second = _db.Rent();
                    return first.Connection.IsOpen && second.Connection.IsOpen;
            """), fixAll: true);

        Assert.Equal(InMethod("""
                    await using var first = await _db.RentAsync();
                    await using var second = await _db.RentAsync();
                    return first.Connection.IsOpen && second.Connection.IsOpen;
            """), fixedSource);
    }
}
