using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>Finds the Validate, Reset, Close, IsBroken and RoleCheck methods the attribute names.</summary>
/// <remarks>Compiled into the analyzers too, so that they accept exactly the methods the generator can call.</remarks>
internal static class NamedMethodResolver
{
    /// <summary>What a named method must look like.</summary>
    public enum Role
    {
        Validate,
        Action,

        /// <summary>A synchronous <c>bool M(C)</c>, such as IsBroken.</summary>
        Predicate,

        /// <summary>An <c>EndpointRole M(C)</c>, synchronous or not: a multi-host pool's RoleCheck.</summary>
        RoleCheck,
    }

    /// <summary>
    /// The single method named <paramref name="name"/> of a usable signature. Returns false when the name is set but
    /// no overload, or more than one, fits; <paramref name="method"/> is null (and the result true) when no name is set.
    /// </summary>
    public static bool TryResolve(
        IReadOnlyList<IMethodSymbol> methods,
        string? name,
        Role role,
        ITypeSymbol connectionType,
        Compilation compilation,
        CancellationToken cancellationToken,
        out UserMethodModel? method)
    {
        method = null;
        if (name is null)
        {
            return true;
        }

        List<UserMethodModel> usable = FindUsable(methods, name, role, connectionType, compilation, cancellationToken, out _);
        if (usable.Count != 1)
        {
            return false;
        }

        method = usable[0];
        return true;
    }

    /// <summary>Every overload named <paramref name="name"/> of a usable signature; <paramref name="named"/> counts the overloads of any signature.</summary>
    public static List<UserMethodModel> FindUsable(
        IReadOnlyList<IMethodSymbol> methods,
        string name,
        Role role,
        ITypeSymbol connectionType,
        Compilation compilation,
        CancellationToken cancellationToken,
        out int named)
    {
        named = 0;
        var usable = new List<UserMethodModel>();
        foreach (IMethodSymbol candidate in methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (candidate.Name != name)
            {
                continue;
            }

            named++;
            UserMethodModel? match = role switch
            {
                Role.Validate => MethodSignatures.MatchValidate(candidate, connectionType, compilation),
                Role.Predicate => MethodSignatures.MatchPredicate(candidate, connectionType, compilation),
                Role.RoleCheck => MethodSignatures.MatchRoleCheck(candidate, connectionType, compilation),
                _ => MethodSignatures.MatchAction(candidate, connectionType, compilation),
            };
            if (match is not null)
            {
                usable.Add(match);
            }
        }

        return usable;
    }
}
