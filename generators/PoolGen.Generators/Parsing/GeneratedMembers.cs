using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// The names the generated part declares in the pool class. A member of the class with one of them would make the
/// generated file fail to compile (CS0102, CS0111), or be an overload next to a generated member that changes what a
/// call binds to; so the class gets no pool, and the analyzer names each such member (POOL007).
/// </summary>
/// <remarks>
/// Compiled into the analyzers too: POOL007 is raised exactly when the generator skips a class for this reason. A test
/// checks the list against the members the emitter prints. <c>ConfigurePool</c> is not in it: it is the user's to
/// implement.
/// </remarks>
internal static class GeneratedMembers
{
    // The tool name in the [GeneratedCode] the emitter puts on each member it declares (Names.GeneratedCode).
    private const string Generator = "PoolGen.Generators";

    // The public surface first (Dispose members go after Resize), then the nested types, then the private members: the
    // order in which the POOL007 message lists them.
    private static readonly string[] Public =
        { "Rent", "RentAsync", "TryRent", "Stats", "GetHealth", "GetLoad", "GetAdvice", "CheckHealthAsync", "WarmUpAsync", "Clear", "Resize" };

    private static readonly string[] TypesAndPrivate = { "Lease", "ConnectionPoolPolicy", "PoolEngine", "CreatePoolEngine", "_poolEngine", "_poolEngineLock" };

    // Load and advice are each endpoint's (MultiHostPool.PoolOf): a multi-host pool does not declare them.
    private static readonly string[] SingleHostOnly = { "GetLoad", "GetAdvice" };

    // A multi-host pool's own members and types, beside the others.
    private static readonly string[] MultiHost = { "Endpoints", "GetEndpointStats", "GetEndpointHealth", "GetWorkloadStats" };

    private static readonly string[] Dispose = { "Dispose", "DisposeAsync" };

    private static readonly string[] DisposePool = { "DisposePool", "DisposePoolAsync" };

    /// <summary>Every name the generated part declares in the class, given how it names its Dispose members and whether it routes over endpoints.</summary>
    public static IEnumerable<string> Names(DisposeMembers disposeMembers, bool multiHost = false) =>
        (multiHost ? Public.Except(SingleHostOnly) : Public)
            .Concat(disposeMembers == DisposeMembers.Interfaces ? Dispose : DisposePool)
            .Concat(multiHost ? MultiHost : Enumerable.Empty<string>())
            .Concat(TypesAndPrivate);

    /// <summary>The class's own members that clash with a generated one, in the order of <see cref="Names"/>.</summary>
    public static List<ISymbol> FindClashes(
        INamedTypeSymbol poolType, DisposeMembers disposeMembers, bool multiHost, CancellationToken cancellationToken)
    {
        var clashes = new List<ISymbol>();
        foreach (string name in Names(disposeMembers, multiHost))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (ISymbol member in poolType.GetMembers(name))
            {
                if (Clashes(member, disposeMembers) && !IsGenerated(member))
                {
                    clashes.Add(member);
                }
            }
        }

        return clashes;
    }

    /// <summary>
    /// Whether the generator declared <paramref name="member"/>. The generator never sees its own output, but the
    /// analyzers do: the compilation they run on holds the generated part.
    /// </summary>
    public static bool IsGenerated(ISymbol member) =>
        member.GetAttributes().Any(a =>
            a.AttributeClass is { } attribute
            && TypeNames.IsGeneratedCodeAttribute(attribute)
            && a.ConstructorArguments.Length > 0
            && a.ConstructorArguments[0].Value is Generator);

    // A class with a parameterless Dispose or DisposeAsync of its own gets DisposePool members instead (DisposeReader),
    // so a method left with the name Dispose takes parameters: an overload, which can live beside the generated one.
    private static bool Clashes(ISymbol member, DisposeMembers disposeMembers) =>
        !(disposeMembers == DisposeMembers.Interfaces && member is IMethodSymbol && Dispose.Contains(member.Name));
}
