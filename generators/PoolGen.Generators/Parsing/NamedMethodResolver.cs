using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>Finds the Validate, Reset and Close methods the attribute names.</summary>
internal static class NamedMethodResolver
{
    /// <summary>What a named method must look like.</summary>
    public enum Role
    {
        Validate,
        Action,
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

        foreach (IMethodSymbol candidate in methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (candidate.Name != name)
            {
                continue;
            }

            UserMethodModel? usable = role == Role.Validate
                ? MethodSignatures.MatchValidate(candidate, connectionType, compilation)
                : MethodSignatures.MatchAction(candidate, connectionType, compilation);
            if (usable is null)
            {
                continue;
            }

            if (method is not null)
            {
                method = null;
                return false;
            }

            method = usable;
        }

        return method is not null;
    }
}
