using System.Threading.Tasks;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;
using PoolGen.CodeFixes;

namespace PoolGen.Analyzers.Tests.CodeFixes;

public sealed class AddTakesLeaseCodeFixTests
{
    private static Task<string> FixAsync(string source) =>
        CodeFixHarness.ApplyAsync(new LeaseLeakAnalyzer(), new AddTakesLeaseCodeFixProvider(), source);

    private static Task<bool> OffersFixAsync(string source) =>
        CodeFixHarness.OffersFixAsync(new LeaseLeakAnalyzer(), new AddTakesLeaseCodeFixProvider(), source);

    private static string Source(string parameter, string store, string call) => $$"""
        public sealed class Session : IDisposable
        {
            private Db.Lease _lease;

            public Session({{parameter}}) => {{store}};

            public void Dispose() => _lease.Dispose();
        }

        public sealed class Sessions
        {
            private readonly Db _db = new Db();

            public Session Open()
            {
                var lease = _db.Rent();
                {{call}}
            }
        }
        """;

    [Fact]
    public async Task ConstructorParameterThatStoresTheLease_GetsTakesLease()
    {
        string fixedSource = await FixAsync(Source("Db.Lease lease", "_lease = lease", "return new Session(lease);"));

        Assert.Equal(Source("[TakesLease] Db.Lease lease", "_lease = lease", "return new Session(lease);"), fixedSource);
    }

    [Fact]
    public async Task FixedSource_RaisesNoLeak()
    {
        string fixedSource = await FixAsync(Source("Db.Lease lease", "_lease = lease", "return new Session(lease);"));

        Assert.DoesNotContain(AnalyzerHarness.Run(new LeaseLeakAnalyzer(), fixedSource), d => d.Id == "POOL101");
    }

    [Fact]
    public async Task MethodParameterThatStoresTheLease_GetsTakesLease()
    {
        string source = """
            public sealed class Holder : IDisposable
            {
                private Db.Lease _lease;

                public void Hold(Db.Lease lease)
                {
                    _lease.Dispose();
                    _lease = lease;
                }

                public void Dispose() => _lease.Dispose();
            }

            public static class Use
            {
                public static void Run(Db db, Holder holder)
                {
                    var lease = db.Rent();
                    holder.Hold(lease);
                }
            }
            """;

        string fixedSource = await FixAsync(source);

        Assert.Equal(source.Replace("public void Hold(Db.Lease lease)", "public void Hold([TakesLease] Db.Lease lease)"), fixedSource);
    }

    [Fact]
    public async Task ParameterThatOnlyBorrowsTheLease_OffersNoFix()
    {
        Assert.False(await OffersFixAsync(Source("Db.Lease lease", "_ = lease.Connection", "_ = new Session(lease); return new Session(default);")));
    }
}
