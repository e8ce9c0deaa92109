using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Finds the factory, which also decides the connection type. In order: the method marked <c>[PoolFactory]</c>,
/// the method named by <c>Factory</c>, the single conventionally named method. Anything ambiguous finds nothing:
/// the analyzer explains the problem, and a guess here would hide it.
/// </summary>
internal static class FactoryResolver
{
    private static readonly string[] ConventionalNames = { "Create", "CreateAsync", "CreateConnection", "CreateConnectionAsync" };

    public static UserMethodModel? Resolve(
        IReadOnlyList<IMethodSymbol> methods, string? factoryName, CancellationToken cancellationToken, out ITypeSymbol? connectionType)
    {
        connectionType = null;
        IMethodSymbol[] marked = methods
            .Where(m => m.GetAttributes().Any(a => TypeNames.IsPoolFactoryAttribute(a.AttributeClass)))
            .ToArray();
        cancellationToken.ThrowIfCancellationRequested();

        IEnumerable<IMethodSymbol> candidates = marked.Length switch
        {
            > 1 => Enumerable.Empty<IMethodSymbol>(),
            1 => marked,
            _ when factoryName is not null => methods.Where(m => m.Name == factoryName),
            _ => methods.Where(m => ConventionalNames.Contains(m.Name)),
        };

        UserMethodModel? found = null;
        foreach (IMethodSymbol candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            UserMethodModel? usable = MethodSignatures.MatchFactory(candidate, out ITypeSymbol? returned);
            if (usable is null)
            {
                continue; // an overload of another shape is just another method
            }

            if (found is not null)
            {
                connectionType = null;
                return null; // two usable candidates: ambiguous
            }

            found = usable;
            connectionType = returned;
        }

        return found;
    }
}
