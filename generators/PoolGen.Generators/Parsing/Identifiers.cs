using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PoolGen.Generators.Parsing;

/// <summary>Turns symbol names into text that compiles where the emitter puts it.</summary>
internal static class Identifiers
{
    /// <summary>Fully qualified with <c>global::</c>, so no user type or alias can capture the name.</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>A simple name as it must be written in code: <c>@class</c> for a type or method named <c>class</c>.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;

    /// <summary>The namespace as written in a namespace declaration, or null for the global namespace.</summary>
    public static string? Namespace(INamespaceSymbol? ns) =>
        ns is null || ns.IsGlobalNamespace
            ? null
            : ns.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
}
