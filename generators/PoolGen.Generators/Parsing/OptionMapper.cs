using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Maps an attribute property to the <c>PoolOptions</c> property of the same name and type, found in the symbols of the
/// PoolGen assembly the user's project references. There is no list of options to keep up to date: an option added to
/// both types is copied as soon as it exists, and one that exists on the attribute only is never emitted (the
/// generated code would not compile). A generator test fails for every attribute property that maps to nothing and is
/// not one of <see cref="AttributeSettings.LifecycleProperties"/>.
/// </summary>
internal static class OptionMapper
{
    /// <summary><c>PoolOptions</c> from the assembly that declares the attribute, or null when it has none.</summary>
    public static INamedTypeSymbol? FindOptionsType(INamedTypeSymbol? attributeType) =>
        attributeType?.ContainingAssembly.GetTypeByMetadataName(TypeNames.PoolOptions);

    /// <summary>
    /// The <c>PoolOptions</c> property that <paramref name="attributeProperty"/> maps to: public, settable, of the same
    /// name and type. Null when there is none.
    /// </summary>
    public static IPropertySymbol? FindOption(INamedTypeSymbol? optionsType, IPropertySymbol attributeProperty) =>
        optionsType?.GetMembers(attributeProperty.Name)
            .OfType<IPropertySymbol>()
            .FirstOrDefault(option =>
                !option.IsStatic
                && option.DeclaredAccessibility == Accessibility.Public
                && option.SetMethod is { DeclaredAccessibility: Accessibility.Public }
                && SymbolEqualityComparer.Default.Equals(option.Type, attributeProperty.Type));

    /// <summary>The public settable property of the attribute (or a base attribute) named <paramref name="name"/>.</summary>
    public static IPropertySymbol? FindAttributeProperty(INamedTypeSymbol? attributeType, string name)
    {
        for (INamedTypeSymbol? type = attributeType; type is not null; type = type.BaseType)
        {
            if (type.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && p.SetMethod is not null) is { } property)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>
    /// The C# literal for a value of <paramref name="type"/>, or null when the value does not have that type (or the
    /// type has no literal). Ranges are not checked here: <c>PoolOptions.Validate</c> rejects them at runtime, and the
    /// analyzer shows them where they are written.
    /// </summary>
    public static string? ToLiteral(ITypeSymbol type, object? value)
    {
        if (type.TypeKind == TypeKind.Enum && type is INamedTypeSymbol { EnumUnderlyingType: { } underlying })
        {
            return ToLiteral(underlying, value) is { } number ? $"({Identifiers.FullyQualified(type)})({number})" : null;
        }

        return (type.SpecialType, value) switch
        {
            (SpecialType.System_Int32, int number) => number.ToString(CultureInfo.InvariantCulture),
            (SpecialType.System_Int64, long number) => number.ToString(CultureInfo.InvariantCulture) + "L",
            (SpecialType.System_Boolean, bool flag) => flag ? "true" : "false",
            (SpecialType.System_Double, double number) => Double(number),
            (SpecialType.System_String, string text) => SymbolDisplay.FormatLiteral(text, quote: true),
            _ => null,
        };
    }

    // "R" round-trips. NaN and the infinities have no literal, but they are values the user wrote: they are passed on,
    // so that the options reject them at runtime as they reject any other value out of range.
    private static string Double(double number) =>
        double.IsNaN(number) ? "double.NaN"
        : double.IsPositiveInfinity(number) ? "double.PositiveInfinity"
        : double.IsNegativeInfinity(number) ? "double.NegativeInfinity"
        : number.ToString("R", CultureInfo.InvariantCulture) + "d";
}
