using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;
using PoolGen.Generators.Parsing;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// POOL007: members of the class named like a member the generated part declares, found by the generator's own rule
/// (compiled into this assembly), so a member is reported exactly when the generator skips the class because of it.
/// </summary>
internal static class MemberChecks
{
    public static void Check(PoolUnderAnalysis pool)
    {
        DisposeMembers disposeMembers = ReadDisposeMembers(pool.Type);
        bool multiHost = pool.TryGetArgument("RoleCheck", out string? roleCheck) && roleCheck is not null;
        List<ISymbol> clashes = GeneratedMembers.FindClashes(pool.Type, disposeMembers, multiHost, pool.CancellationToken);
        if (clashes.Count == 0)
        {
            return;
        }

        string names = List(GeneratedMembers.Names(disposeMembers, multiHost).ToArray());
        foreach (ISymbol member in clashes)
        {
            Location location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? pool.IdentifierLocation;
            pool.Report(DiagnosticDescriptors.MemberClash, location, Kind(member), member.Name, pool.Type.Name, names);
        }
    }

    // The generator reads the class without its generated part, which is in this compilation when the generator ran: its
    // IDisposable would make DisposeReader choose DisposePool. The generated members show what the generator chose.
    private static DisposeMembers ReadDisposeMembers(INamedTypeSymbol type) =>
        type.GetMembers("DisposePool").Any(GeneratedMembers.IsGenerated) ? DisposeMembers.DisposePool
        : type.GetMembers("Dispose").Any(GeneratedMembers.IsGenerated) ? DisposeMembers.Interfaces
        : DisposeReader.ReadDisposeMembers(type);

    private static string Kind(ISymbol member) => member switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol { IsConst: true } => "constant",
        IFieldSymbol => "field",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };

    // "A, B and C".
    private static string List(string[] names) =>
        names.Length == 1 ? names[0] : string.Join(", ", names.Take(names.Length - 1)) + " and " + names[names.Length - 1];
}
