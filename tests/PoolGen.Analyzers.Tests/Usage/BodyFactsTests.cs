using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

/// <summary>
/// The pre-filter the body analyzers share: which bodies get a control flow graph. A body sent to no analysis that could
/// report on it is a missed diagnostic; a body sent to one that cannot is the cost the filter exists to save.
/// </summary>
public sealed class BodyFactsTests
{
    [Theory]
    [InlineData("using var lease = _db.Rent(); return lease.Connection.IsOpen;", false, false)]
    [InlineData("await using var lease = await _db.RentAsync().ConfigureAwait(false); return lease.Connection.IsOpen;", false, false)]
    [InlineData("using (var lease = _db.Rent()) { return lease.Connection.IsOpen; }", false, false)]
    [InlineData("using (_db.Rent()) { return true; }", false, false)]
    [InlineData("var lease = _db.Rent(); lease.Dispose(); return true;", true, true)]
    [InlineData("using var lease = _db.Rent(); lease.Dispose(); return true;", false, true)]
    [InlineData("using var lease = _db.Rent(); var connection = lease.Connection; return connection.IsOpen;", false, true)]
    [InlineData("if (_db.TryRent(out var lease)) { using (lease) { return true; } } return false;", true, true)]
    [InlineData("return _db.Rent().IsActive;", true, false)]
    [InlineData("return _db.Stats.Idle > 0;", false, false)]
    public void UsingOnlyBodies_GetNoFlowAnalysis(string body, bool leakFlow, bool disposalFlow)
    {
        BodyFacts facts = BodyFacts.Of(Body($$"""
            public sealed class Orders
            {
                private readonly Db _db = new Db();

                public async Task<bool> RunAsync()
                {
                    await Task.Yield();
                    {{body}}
                }
            }
            """));

        Assert.Equal((leakFlow, disposalFlow), (facts.NeedsLeakFlow, facts.NeedsDisposalFlow));
    }

    private static IOperation Body(string source)
    {
        Compilation compilation = TestCompilation.CreateWithGenerated(source).Compilation;
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == "User1.cs");
        MethodDeclarationSyntax method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        return compilation.GetSemanticModel(tree).GetOperation(method.Body!)!;
    }
}
