using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// Turns a class marked <c>[ConnectionPool]</c> into a <see cref="PoolModel"/>, or null when no pool can be generated
/// for it. It reports nothing: configuration problems are the analyzer's (diagnostics from a generator would defeat
/// caching and <c>#pragma</c> suppression).
/// </summary>
internal static class PoolParser
{
    public static PoolModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsStatic: false } poolType
            || context.Attributes.IsEmpty)
        {
            return null;
        }

        return Parse(poolType, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken);
    }

    public static PoolModel? Parse(
        INamedTypeSymbol poolType, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        TypeDeclarationModel? declaration = DeclarationReader.Read(poolType, cancellationToken);
        EquatableArray<TypeDeclarationModel>? containingTypes = DeclarationReader.ReadContainingTypes(poolType, cancellationToken);
        AttributeSettings? settings = AttributeSettings.Read(attribute, cancellationToken);
        DisposeMembers disposeMembers = DisposeReader.ReadDisposeMembers(poolType);

        // A member of the class named like a generated one would break the generated file; POOL007 names it.
        if (declaration is null || containingTypes is null || settings is null
            || GeneratedMembers.FindClashes(poolType, disposeMembers, settings.RoleCheck is not null, cancellationToken).Count > 0)
        {
            return null;
        }

        // Only the class's own methods: inherited private ones could not be called from the generated part.
        IMethodSymbol[] methods = poolType.GetMembers().OfType<IMethodSymbol>().ToArray();
        UserMethodModel? factory = FactoryResolver.Resolve(methods, settings.Factory, cancellationToken, out ITypeSymbol? connectionType);
        if (factory is null || connectionType is null
            || !NamedMethodResolver.TryResolve(methods, settings.Validate, NamedMethodResolver.Role.Validate, connectionType, compilation, cancellationToken, out UserMethodModel? validate)
            || !NamedMethodResolver.TryResolve(methods, settings.Reset, NamedMethodResolver.Role.Action, connectionType, compilation, cancellationToken, out UserMethodModel? reset)
            || !NamedMethodResolver.TryResolve(methods, settings.Close, NamedMethodResolver.Role.Action, connectionType, compilation, cancellationToken, out UserMethodModel? close)
            || !NamedMethodResolver.TryResolve(methods, settings.IsBroken, NamedMethodResolver.Role.Predicate, connectionType, compilation, cancellationToken, out UserMethodModel? isBroken)
            || !NamedMethodResolver.TryResolve(methods, settings.RoleCheck, NamedMethodResolver.Role.RoleCheck, connectionType, compilation, cancellationToken, out UserMethodModel? roleCheck))
        {
            return null;
        }

        // A multi-host pool needs both halves, a factory that takes the endpoint and a role check; POOL008 names the missing one.
        if (factory.TakesEndpoint != (roleCheck is not null))
        {
            return null;
        }

        string? ns = Identifiers.Namespace(poolType.ContainingNamespace);
        string dottedName = DottedName(poolType);
        StateCheck stateCheck = StateCheckReader.Read(connectionType, settings.CheckConnectionState, hasIsBroken: isBroken is not null);
        var lifecycle = new LifecycleModel(factory, validate, reset, close, isBroken, stateCheck, DisposeReader.ReadDefaultClose(connectionType));

        return new PoolModel(
            HintName: (ns is null ? string.Empty : ns.Replace("@", string.Empty) + ".") + dottedName + ".ConnectionPool.g.cs",
            Namespace: ns,
            ContainingTypes: containingTypes.Value,
            Declaration: declaration,
            FullTypeName: Identifiers.FullyQualified(poolType),
            PoolName: dottedName,
            ConnectionType: Identifiers.FullyQualified(connectionType),
            Lifecycle: lifecycle,
            DisposeMembers: disposeMembers,
            Options: settings.Options,
            EngineAlias: AliasNames.Pick(poolType, "Engine"),
            HandleAlias: AliasNames.Pick(poolType, "Handle"),
            RoleCheck: roleCheck,
            EndpointEngineAlias: roleCheck is null ? string.Empty : AliasNames.Pick(poolType, "EndpointEngine"),
            RoutedLeaseAlias: roleCheck is null ? string.Empty : AliasNames.Pick(poolType, "RoutedLease"));
    }

    // Outer.Inner: the pool's name in messages and the file's name, unescaped.
    private static string DottedName(INamedTypeSymbol type) =>
        type.ContainingType is null ? type.Name : DottedName(type.ContainingType) + "." + type.Name;
}
