using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PoolGen.Generators.Model;
using PoolGen.Generators.Parsing;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The names the generator refuses to clash with (POOL007) are exactly the ones the emitter declares in the class, and a
/// member that can live beside them does not stop the pool.
/// </summary>
public sealed class GeneratedMembersTests
{
    [Theory]
    [InlineData(Sources.GlobalNamespace, false, false)]
    [InlineData(Sources.UserDeclaredDispose, true, false)]
    [InlineData(Sources.MultiHost, false, true)]
    public void Names_AreTheMembersTheEmitterDeclaresInTheClass(string source, bool namedDisposePool, bool multiHost)
    {
        DisposeMembers disposeMembers = namedDisposePool ? DisposeMembers.DisposePool : DisposeMembers.Interfaces;
        SyntaxTree generated = GeneratorHarness.RunSingle(source, Sources.FakeConnection).SyntaxTree;

        // The pool class is the innermost class the file reopens: its members are what can clash with the user's.
        ClassDeclarationSyntax pool = generated.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Last();
        // Explicit interface implementations (IConnectionPool.Name, ...) cannot clash with a member of the class.
        string[] declared = pool.Members
            .Where(member => member is not BasePropertyDeclarationSyntax { ExplicitInterfaceSpecifier: not null }
                && member is not MethodDeclarationSyntax { ExplicitInterfaceSpecifier: not null })
            .SelectMany(member => member switch
            {
                FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
                MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
                PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
                BaseTypeDeclarationSyntax type => new[] { type.Identifier.ValueText },
                _ => new[] { member.ToString() },
            })
            .Where(name => name is not ("ConfigurePool" or "ConfigureHosts")) // the user's partial hooks, never a clash
            .Distinct()
            .OrderBy(name => name, System.StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(GeneratedMembers.Names(disposeMembers, multiHost).OrderBy(name => name, System.StringComparer.Ordinal), declared);
    }

    [Fact]
    public void Generate_WhenTheClassHasOverloadsOfDisposeAndImplementsConfigurePool_GeneratesAndCompiles()
    {
        const string source = """
            using Fakes;
            using PoolGen;

            namespace Shop.Data
            {
                [ConnectionPool]
                public partial class LayeredDb
                {
                    private static FakeConnection Create() => new FakeConnection();

                    protected virtual void Dispose(bool disposing)
                    {
                    }

                    public System.Threading.Tasks.ValueTask DisposeAsync(System.Threading.CancellationToken cancellationToken) => default;

                    partial void ConfigurePool(PoolOptions options) => options.Max = 2;
                }
            }
            """;

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(source, Sources.FakeConnection));

        Assert.Contains("public void Dispose()\n", Assert.Single(result.GeneratedSources).SourceText.ToString());
        Assert.Empty(GeneratorHarness.Problems(output));
    }
}
