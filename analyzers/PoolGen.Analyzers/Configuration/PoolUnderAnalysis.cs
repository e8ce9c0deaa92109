using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PoolGen.Analyzers.Configuration;

/// <summary>A class marked <c>[ConnectionPool]</c>, its attribute, and where to put what is reported about them.</summary>
internal sealed class PoolUnderAnalysis
{
    private readonly SymbolAnalysisContext _context;

    public PoolUnderAnalysis(INamedTypeSymbol type, AttributeData attribute, SymbolAnalysisContext context)
    {
        Type = type;
        Attribute = attribute;
        _context = context;
    }

    public INamedTypeSymbol Type { get; }

    public AttributeData Attribute { get; }

    public Compilation Compilation => _context.Compilation;

    public CancellationToken CancellationToken => _context.CancellationToken;

    /// <summary>The class's name in its first declaration: where problems of the class as a whole are shown.</summary>
    public Location IdentifierLocation => Type.Locations.FirstOrDefault() ?? Location.None;

    /// <summary>The value of a named argument when it bound to a value of type <typeparamref name="T"/>.</summary>
    public bool TryGetArgument<T>(string name, out T value)
    {
        foreach (var argument in Attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Kind != TypedConstantKind.Error && argument.Value.Value is T typed)
            {
                value = typed;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary><c>Name = value</c> inside the attribute, or the class's name when the argument cannot be found.</summary>
    public Location ArgumentLocation(string name)
    {
        if (Attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) is AttributeSyntax { ArgumentList: { } arguments })
        {
            foreach (AttributeArgumentSyntax argument in arguments.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.GetLocation();
                }
            }
        }

        return IdentifierLocation;
    }

    public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
        _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));
}
