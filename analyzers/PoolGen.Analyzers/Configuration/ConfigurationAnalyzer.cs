using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using PoolGen.Generators.Parsing;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// Explains why a class marked <c>[ConnectionPool]</c> gets no pool (POOL001-POOL007). The generator stays silent for
/// such a class: diagnostics from a generator defeat its caching and cannot be suppressed with <c>#pragma</c>.
/// A symbol action per named type is cheap: the attribute check ends the work for every other type at once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigurationAnalyzer : DiagnosticAnalyzer
{
    private const string PlainClass =
        "[ConnectionPool] needs a non-static class that is not generic and not nested in a generic type";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.NoFactory,
        DiagnosticDescriptors.UnusableNamedMethod,
        DiagnosticDescriptors.MultiHostIncomplete,
        DiagnosticDescriptors.SizeOutOfRange,
        DiagnosticDescriptors.TimeOutOfRange,
        DiagnosticDescriptors.UnsupportedClass,
        DiagnosticDescriptors.MemberClash);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? attribute = type.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TypeNames.ConnectionPoolAttribute);
        if (attribute is null || type.TypeKind != TypeKind.Class)
        {
            return;
        }

        // Every problem is reported at once, so fixing one does not merely reveal the next.
        var pool = new PoolUnderAnalysis(type, attribute, context);
        CheckShape(pool);
        CheckPartial(pool);
        OptionChecks.Check(pool);
        MethodChecks.Check(pool);
        MemberChecks.Check(pool);
    }

    private static void CheckShape(PoolUnderAnalysis pool)
    {
        INamedTypeSymbol type = pool.Type;
        INamedTypeSymbol outermost = Outermost(type); // only a top-level type can be 'file'
        (string Problem, string Fix)? shape =
            type.IsStatic ? ("is static", PlainClass)
            : type.TypeParameters.Length > 0 ? ("is generic", PlainClass)
            : type.IsGenericType ? ($"is nested in the generic type '{FirstGenericContainer(type)?.Name}'", PlainClass)
            : type.IsFileLocal ? ("is file-local", FileLocalFix("it"))
            : outermost.IsFileLocal ? ($"is nested in the file-local type '{outermost.Name}'", FileLocalFix($"'{outermost.Name}'"))
            : null;
        if (shape is { } unsupported)
        {
            pool.Report(DiagnosticDescriptors.UnsupportedClass, pool.IdentifierLocation, type.Name, unsupported.Problem, unsupported.Fix);
        }
    }

    private static string FileLocalFix(string type) =>
        $"a file-local type cannot have a part in the generated file; declare {type} 'internal' instead of 'file'";

    private static INamedTypeSymbol? FirstGenericContainer(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
            {
                return outer;
            }
        }

        return null;
    }

    private static INamedTypeSymbol Outermost(INamedTypeSymbol type) =>
        type.ContainingType is null ? type : Outermost(type.ContainingType);

    // The class itself and every type it is nested in: the generated part reopens them all.
    private static void CheckPartial(PoolUnderAnalysis pool)
    {
        for (INamedTypeSymbol? type = pool.Type; type is not null; type = type.ContainingType)
        {
            TypeDeclarationSyntax? declaration = PartialDeclarations.FirstNotPartial(type, pool.CancellationToken);
            if (declaration is null)
            {
                continue;
            }

            Location location = SymbolEqualityComparer.Default.Equals(type, pool.Type)
                ? declaration.Identifier.GetLocation()
                : pool.IdentifierLocation;
            pool.Report(DiagnosticDescriptors.NotPartial, location, type.Name, pool.Type.Name);
        }
    }
}
