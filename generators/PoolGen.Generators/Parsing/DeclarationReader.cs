using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>Reads the partial declarations the generated file must reopen: the pool class and every type around it.</summary>
internal static class DeclarationReader
{
    /// <summary>
    /// The type's declaration, or null when the generated part could not be added: the type, or a type it is nested
    /// in, is not partial, is generic, or is file-local (its parts must all be in one file, and the generated part is
    /// a file of its own).
    /// </summary>
    public static TypeDeclarationModel? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.IsGenericType || type.IsFileLocal || !IsPartialEverywhere(type, cancellationToken))
        {
            return null;
        }

        string keyword = (type.TypeKind, type.IsRecord) switch
        {
            (TypeKind.Class, true) => "record",
            (TypeKind.Class, false) => "class",
            (TypeKind.Struct, true) => "record struct",
            (TypeKind.Struct, false) => "struct",
            (TypeKind.Interface, _) => "interface",
            _ => string.Empty,
        };
        if (keyword.Length == 0)
        {
            return null;
        }

        // Partial declarations may leave out access and most modifiers, but static and ref must be repeated.
        string modifiers = type.IsStatic ? "static " : type.IsRefLikeType ? "ref " : string.Empty;
        return new TypeDeclarationModel(modifiers, keyword, Identifiers.Escape(type.Name));
    }

    /// <summary>The declarations of the types <paramref name="type"/> is nested in, outermost first, or null if one cannot be reopened.</summary>
    public static EquatableArray<TypeDeclarationModel>? ReadContainingTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var declarations = new List<TypeDeclarationModel>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            TypeDeclarationModel? declaration = Read(outer, cancellationToken);
            if (declaration is null)
            {
                return null;
            }

            declarations.Insert(0, declaration);
        }

        return new EquatableArray<TypeDeclarationModel>(declarations);
    }

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Length > 0 && PartialDeclarations.FirstNotPartial(type, cancellationToken) is null;
}
