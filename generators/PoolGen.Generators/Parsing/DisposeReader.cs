using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>Reads how the connection type disposes itself and whether the pool class has Dispose members already.</summary>
internal static class DisposeReader
{
    /// <summary>How the pool closes a connection when the attribute names no Close method.</summary>
    public static DefaultCloseModel ReadDefaultClose(ITypeSymbol connectionType) =>
        new(Find(connectionType, TypeNames.IsDisposable, "Dispose"),
            Find(connectionType, TypeNames.IsAsyncDisposable, "DisposeAsync"));

    /// <summary>
    /// The generated Dispose members would clash with the class's own (or its base classes') Dispose, DisposeAsync or
    /// disposable interfaces; then the pool gets DisposePool members for the user to call from theirs.
    /// </summary>
    public static DisposeMembers ReadDisposeMembers(INamedTypeSymbol poolType)
    {
        if (poolType.AllInterfaces.Any(i => TypeNames.IsDisposable(i) || TypeNames.IsAsyncDisposable(i)))
        {
            return DisposeMembers.DisposePool;
        }

        for (INamedTypeSymbol? type = poolType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            bool declaresDispose = type.GetMembers()
                .Any(m => m is IMethodSymbol { Parameters.Length: 0 } && m.Name is "Dispose" or "DisposeAsync");
            if (declaresDispose)
            {
                return DisposeMembers.DisposePool;
            }
        }

        return DisposeMembers.Interfaces;
    }

    private static DisposeCall Find(ITypeSymbol connectionType, Func<ITypeSymbol, bool> isInterface, string memberName)
    {
        INamedTypeSymbol? contract = isInterface(connectionType)
            ? connectionType as INamedTypeSymbol
            : connectionType.AllInterfaces.FirstOrDefault(i => isInterface(i));
        if (contract is null)
        {
            return DisposeCall.None;
        }

        // An interface inherits the member, so connection.Dispose() binds; a class may implement it explicitly,
        // and then only a cast to the interface reaches it.
        if (connectionType.TypeKind == TypeKind.Interface)
        {
            return DisposeCall.Member;
        }

        ISymbol? member = contract.GetMembers(memberName).FirstOrDefault();
        ISymbol? implementation = member is null ? null : connectionType.FindImplementationForInterfaceMember(member);
        return implementation is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public }
            ? DisposeCall.Member
            : DisposeCall.Interface;
    }
}
