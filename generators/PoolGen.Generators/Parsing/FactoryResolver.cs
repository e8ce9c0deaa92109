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
/// <remarks>Compiled into the analyzers too, so that they and the generator never disagree about which method is the factory.</remarks>
internal static class FactoryResolver
{
    /// <summary>The names a factory may have when neither <c>[PoolFactory]</c> nor <c>Factory</c> says which method it is.</summary>
    public static readonly string[] ConventionalNames = { "Create", "CreateAsync", "CreateConnection", "CreateConnectionAsync" };

    public static UserMethodModel? Resolve(
        IReadOnlyList<IMethodSymbol> methods, string? factoryName, CancellationToken cancellationToken, out ITypeSymbol? connectionType)
    {
        FactorySearch search = Search(methods, factoryName, cancellationToken);
        if (search.Usable.Count != 1)
        {
            connectionType = null;
            return null; // none, or two usable candidates: ambiguous
        }

        connectionType = search.Usable[0].ConnectionType;
        return search.Usable[0].Model;
    }

    /// <summary>Every candidate the rules above consider, and those of them with a usable signature.</summary>
    public static FactorySearch Search(IReadOnlyList<IMethodSymbol> methods, string? factoryName, CancellationToken cancellationToken)
    {
        IMethodSymbol[] marked = methods
            .Where(m => m.GetAttributes().Any(a => TypeNames.IsPoolFactoryAttribute(a.AttributeClass)))
            .ToArray();
        cancellationToken.ThrowIfCancellationRequested();

        (FactorySource source, IMethodSymbol[] candidates) = marked.Length switch
        {
            > 1 => (FactorySource.MarkedMoreThanOnce, marked),
            1 => (FactorySource.Marked, marked),
            _ when factoryName is not null => (FactorySource.Named, methods.Where(m => m.Name == factoryName).ToArray()),
            _ => (FactorySource.Convention, methods.Where(m => ConventionalNames.Contains(m.Name)).ToArray()),
        };

        var usable = new List<FactoryCandidate>();
        if (source != FactorySource.MarkedMoreThanOnce)
        {
            foreach (IMethodSymbol candidate in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                UserMethodModel? model = MethodSignatures.MatchFactory(candidate, out ITypeSymbol? returned);
                if (model is not null && returned is not null)
                {
                    usable.Add(new FactoryCandidate(candidate, model, returned)); // an overload of another shape is just another method
                }
            }
        }

        return new FactorySearch(source, candidates, usable);
    }
}
