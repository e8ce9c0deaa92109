using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Model;

namespace PoolGen.Generators.Parsing;

/// <summary>What the user wrote in <c>[ConnectionPool(...)]</c>.</summary>
internal sealed class AttributeSettings
{
    /// <summary>
    /// The attribute's own default for <c>CheckConnectionState</c> (<c>PoolDefaults.CheckConnectionState</c>): the
    /// generator only sees the arguments written, and cannot load the runtime to ask. A test compares the two.
    /// </summary>
    internal const bool DefaultCheckConnectionState = true;

    /// <summary>
    /// The attribute's properties that are not options: they name the class's methods or shape the generated policy, and
    /// are read here. Every other property is copied onto the <c>PoolOptions</c> property of the same name and type.
    /// </summary>
    internal static readonly string[] LifecycleProperties = { "Factory", "Validate", "Reset", "Close", "IsBroken", "RoleCheck", "CheckConnectionState" };

    private AttributeSettings(
        List<PoolOptionModel> options,
        string? factory,
        string? validate,
        string? reset,
        string? close,
        string? isBroken,
        string? roleCheck,
        bool checkConnectionState)
    {
        IsBroken = isBroken;
        RoleCheck = roleCheck;
        CheckConnectionState = checkConnectionState;
        Options = new EquatableArray<PoolOptionModel>(options);
        Factory = factory;
        Validate = validate;
        Reset = reset;
        Close = close;
    }

    /// <summary>The numeric and boolean settings the user set; the runtime's defaults cover the rest.</summary>
    public EquatableArray<PoolOptionModel> Options { get; }

    public string? Factory { get; }

    public string? Validate { get; }

    public string? Reset { get; }

    public string? Close { get; }

    public string? IsBroken { get; }

    /// <summary>The method that tells a primary from a standby; set only on multi-host pools.</summary>
    public string? RoleCheck { get; }

    /// <summary>
    /// Whether an <c>IDbConnection</c> pool without an IsBroken method gets the generated State check. Not an option:
    /// <c>PoolOptions</c> has no such property, since the check is compiled into the policy.
    /// </summary>
    public bool CheckConnectionState { get; }

    /// <summary>
    /// Reads the named arguments, or returns null when one of them did not bind (a compile error such as
    /// <c>Min = "x"</c>): the user must fix that first, and guessing what they meant could emit code that fails too.
    /// </summary>
    public static AttributeSettings? Read(AttributeData attribute, CancellationToken cancellationToken)
    {
        var options = new List<PoolOptionModel>();
        INamedTypeSymbol? optionsType = OptionMapper.FindOptionsType(attribute.AttributeClass);
        string? factory = null, validate = null, reset = null, close = null, isBroken = null, roleCheck = null;
        bool checkConnectionState = DefaultCheckConnectionState;

        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TypedConstant value = argument.Value;
            if (value.Kind == TypedConstantKind.Error)
            {
                return null;
            }

            switch (argument.Key)
            {
                case "Factory":
                    factory = value.Value as string;
                    break;
                case "Validate":
                    validate = value.Value as string;
                    break;
                case "Reset":
                    reset = value.Value as string;
                    break;
                case "Close":
                    close = value.Value as string;
                    break;
                case "IsBroken":
                    isBroken = value.Value as string;
                    break;
                case "RoleCheck":
                    roleCheck = value.Value as string;
                    break;
                case "CheckConnectionState":
                    if (value.Value is not bool check)
                    {
                        return null;
                    }

                    checkConnectionState = check;
                    break;
                default:
                    // A property with no PoolOptions counterpart could only be emitted as code that does not compile,
                    // so it is skipped; OptionMappingTests fails for each one, so none ships.
                    if (OptionMapper.FindAttributeProperty(attribute.AttributeClass, argument.Key) is { } property
                        && OptionMapper.FindOption(optionsType, property) is not null)
                    {
                        string? literal = OptionMapper.ToLiteral(property.Type, value.Value);
                        if (literal is null)
                        {
                            return null;
                        }

                        options.Add(new PoolOptionModel(argument.Key, literal));
                    }

                    break;
            }
        }

        return new AttributeSettings(options, factory, validate, reset, close, isBroken, roleCheck, checkConnectionState);
    }
}
