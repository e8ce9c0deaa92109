using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Parsing;

namespace PoolGen.Analyzers.Usage;

/// <summary>
/// Recognises leases by <c>[PoolLease]</c> on their type (generated or hand-written) and pools by <c>[ConnectionPool]</c>,
/// by name, like the generator (see <see cref="TypeNames"/>).
/// </summary>
internal static class LeaseTypes
{
    // Every rule asks about the type of nearly every operation it looks at, and most of those types are the same few
    // dozen per compilation: the answer is kept per type symbol (weakly, so it goes with its compilation).
    private static readonly ConditionalWeakTable<ITypeSymbol, object> s_isLease = new();
    private static readonly object s_yes = true;
    private static readonly object s_no = false;
    private static readonly ConditionalWeakTable<ITypeSymbol, object>.CreateValueCallback s_decide =
        type => FindLeaseAttribute(type) ? s_yes : s_no;

    /// <summary>Whether values of <paramref name="type"/> are leases: it or a base class carries <c>[PoolLease]</c>.</summary>
    public static bool IsLease(ITypeSymbol? type) =>
        type is { SpecialType: SpecialType.None, TypeKind: TypeKind.Struct or TypeKind.Class }
        && ReferenceEquals(s_isLease.GetValue(type, s_decide), s_yes);

    private static bool FindLeaseAttribute(ITypeSymbol type)
    {
        // The attribute is inherited, so a class deriving from a lease class is a lease too.
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.SpecialType == SpecialType.System_Object || current.SpecialType == SpecialType.System_ValueType)
            {
                return false;
            }

            foreach (AttributeData attribute in current.GetAttributes())
            {
                if (IsPoolGenAttribute(attribute.AttributeClass, "PoolLeaseAttribute"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>ValueTask&lt;L&gt;</c> or <c>Task&lt;L&gt;</c> of a lease type <c>L</c>.</summary>
    public static bool IsLeaseTask(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && (TypeNames.IsGenericValueTask(named) || TypeNames.IsGenericTask(named))
        && IsLease(named.TypeArguments[0]);

    /// <summary>Whether <paramref name="type"/> carries <c>[ConnectionPool]</c>.</summary>
    public static bool IsPool(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (IsPoolGenAttribute(attribute.AttributeClass, "ConnectionPoolAttribute"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPoolGenAttribute(INamedTypeSymbol? attribute, string name) =>
        attribute is { Name: var n, ContainingType: null, ContainingNamespace: { Name: "PoolGen", ContainingNamespace.IsGlobalNamespace: true } }
        && n == name;
}
