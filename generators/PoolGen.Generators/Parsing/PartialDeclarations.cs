using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PoolGen.Generators.Parsing;

/// <summary>Whether the generated part of a type can be added: every declaration of it must say <c>partial</c>.</summary>
/// <remarks>Compiled into the analyzers too: POOL001 is raised exactly when the generator skips a type for this reason.</remarks>
internal static class PartialDeclarations
{
    /// <summary>The first declaration of <paramref name="type"/> without the <c>partial</c> modifier, or null when all have it.</summary>
    public static TypeDeclarationSyntax? FirstNotPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax syntax && !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return syntax;
            }
        }

        return null;
    }
}
