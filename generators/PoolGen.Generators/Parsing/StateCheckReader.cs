using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Decides whether the policy checks the connection's <c>IDbConnection.State</c> (<c>CheckConnectionState</c>), and how
/// it reads it. Every <c>DbConnection</c> is an <c>IDbConnection</c>, and so is a pool typed by the interface itself.
/// </summary>
internal static class StateCheckReader
{
    /// <summary>
    /// The state check for a pool of <paramref name="connectionType"/>: none when the user turned it off or named an
    /// IsBroken method (which replaces it), or when the type is no <c>IDbConnection</c>.
    /// </summary>
    public static StateCheck Read(ITypeSymbol connectionType, bool checkConnectionState, bool hasIsBroken)
    {
        if (!checkConnectionState || hasIsBroken)
        {
            return StateCheck.None;
        }

        INamedTypeSymbol? contract = TypeNames.IsDbConnectionInterface(connectionType)
            ? connectionType as INamedTypeSymbol
            : connectionType.AllInterfaces.FirstOrDefault(i => TypeNames.IsDbConnectionInterface(i));
        IPropertySymbol? state = contract?.GetMembers("State").OfType<IPropertySymbol>().FirstOrDefault();
        if (state is null)
        {
            return StateCheck.None;
        }

        return ReadsDirectly(connectionType, contract!, state) ? StateCheck.Member : StateCheck.Interface;
    }

    // Whether 'connection.State' binds to the interface's property. A class may implement it explicitly, or a type may
    // declare a State of its own that hides it; the cast is always right, so it is used whenever this is not certain.
    private static bool ReadsDirectly(ITypeSymbol connectionType, INamedTypeSymbol contract, IPropertySymbol state)
    {
        if (connectionType.TypeKind == TypeKind.Interface)
        {
            // An interface inherits State unless it, or another interface it extends, declares a member of that name.
            return SymbolEqualityComparer.Default.Equals(connectionType, contract)
                || !connectionType.AllInterfaces.Prepend((INamedTypeSymbol)connectionType)
                    .Any(i => !SymbolEqualityComparer.Default.Equals(i, contract) && !i.GetMembers("State").IsEmpty);
        }

        // Member lookup finds the most derived type that declares a State; it must be the public implementation, or an
        // override of it.
        ISymbol? implementation = connectionType.FindImplementationForInterfaceMember(state);
        for (ITypeSymbol? type = connectionType; type is not null; type = type.BaseType)
        {
            ISymbol? declared = type.GetMembers("State").FirstOrDefault();
            if (declared is null)
            {
                continue;
            }

            return declared is IPropertySymbol { DeclaredAccessibility: Accessibility.Public, IsStatic: false, GetMethod: not null } property
                && TypeNames.IsConnectionState(property.Type)
                && SameOverrideChain(property, implementation as IPropertySymbol);
        }

        return false;
    }

    private static bool SameOverrideChain(IPropertySymbol declared, IPropertySymbol? implementation)
    {
        if (implementation is null)
        {
            return false;
        }

        for (IPropertySymbol? p = declared; p is not null; p = p.OverriddenProperty)
        {
            if (SymbolEqualityComparer.Default.Equals(p, implementation))
            {
                return true;
            }
        }

        for (IPropertySymbol? p = implementation; p is not null; p = p.OverriddenProperty)
        {
            if (SymbolEqualityComparer.Default.Equals(p, declared))
            {
                return true;
            }
        }

        return false;
    }
}
