using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>Which rule picked the factory candidates.</summary>
internal enum FactorySource
{
    /// <summary>One method carries <c>[PoolFactory]</c>.</summary>
    Marked,

    /// <summary>More than one method carries <c>[PoolFactory]</c>: none of them is taken.</summary>
    MarkedMoreThanOnce,

    /// <summary>The methods named by the attribute's <c>Factory</c>.</summary>
    Named,

    /// <summary>The methods with a conventional factory name.</summary>
    Convention,
}

/// <summary>A factory candidate of a usable signature and what calling it looks like.</summary>
internal sealed record FactoryCandidate(IMethodSymbol Method, UserMethodModel Model, ITypeSymbol ConnectionType);

/// <summary>
/// The outcome of looking for the factory, kept whole so the analyzer can say why it failed. It holds symbols, so it
/// is never part of the generator's cached model: the parser reduces it to a <see cref="UserMethodModel"/> at once.
/// </summary>
internal sealed record FactorySearch(FactorySource Source, IReadOnlyList<IMethodSymbol> Candidates, IReadOnlyList<FactoryCandidate> Usable);
