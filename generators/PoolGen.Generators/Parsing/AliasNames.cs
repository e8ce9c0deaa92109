using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Names for the <c>using</c> aliases of the engine and handle types, which the generated file would otherwise spell out
/// in full, generic arguments and all, wherever it uses them. A name is the class's name with a suffix
/// (<c>OrdersDbEngine</c>), unless the namespace has a type of that name (CS0576) or the class or a type around it has a
/// member of that name (which would hide the alias); then a number is appended.
/// </summary>
internal static class AliasNames
{
    public static string Pick(INamedTypeSymbol poolType, string suffix)
    {
        string name = poolType.Name + suffix;
        for (int i = 2; IsTaken(poolType, name); i++)
        {
            name = poolType.Name + suffix + i;
        }

        return name;
    }

    private static bool IsTaken(INamedTypeSymbol poolType, string name)
    {
        if (poolType.ContainingNamespace.GetMembers(name).Any())
        {
            return true;
        }

        for (INamedTypeSymbol? scope = poolType; scope is not null; scope = scope.ContainingType)
        {
            for (INamedTypeSymbol? type = scope; type is not null; type = type.BaseType)
            {
                if (!type.GetMembers(name).IsEmpty)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
