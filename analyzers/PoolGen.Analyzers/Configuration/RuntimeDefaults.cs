using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// The defaults of the PoolGen runtime the project references, read from its <c>PoolDefaults</c> constants, which are
/// named like the options. The analyzers cannot load the runtime, and a copy of the numbers here could drift from it.
/// </summary>
internal sealed class RuntimeDefaults
{
    private readonly INamedTypeSymbol? _defaults;

    private RuntimeDefaults(INamedTypeSymbol? defaults) => _defaults = defaults;

    /// <summary>The defaults from the assembly that declares <paramref name="attributeType"/>.</summary>
    public static RuntimeDefaults Of(INamedTypeSymbol? attributeType) =>
        new(attributeType?.ContainingAssembly.GetTypeByMetadataName("PoolGen.PoolDefaults"));

    /// <summary>The default of a numeric option, or null when the runtime has no such constant.</summary>
    public double? Of(string option) =>
        _defaults?.GetMembers(option).OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue)?.ConstantValue switch
        {
            int number => number,
            double number => number,
            _ => null,
        };
}
