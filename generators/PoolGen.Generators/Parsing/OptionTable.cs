using System.Globalization;
using Microsoft.CodeAnalysis;

namespace PoolGen.Generators.Parsing;

/// <summary>
/// The attribute properties copied verbatim onto <c>PoolOptions</c> properties of the same name. A new numeric or
/// boolean option is one line here. The list stays explicit: an attribute property that <c>PoolOptions</c> does not
/// have must never be emitted, or the generated code would not compile.
/// </summary>
internal static class OptionTable
{
    private static readonly (string Name, SpecialType Type)[] Options =
    {
        ("Min", SpecialType.System_Int32),
        ("Max", SpecialType.System_Int32),
        ("AcquireTimeoutMs", SpecialType.System_Int32),
        ("IdleTimeoutMs", SpecialType.System_Int32),
        ("MaxLifetimeMs", SpecialType.System_Int32),
        ("LifetimeJitterPercent", SpecialType.System_Double),
        ("ValidateOnRent", SpecialType.System_Boolean),
        ("ValidateOnReturn", SpecialType.System_Boolean),
        ("ValidateAfterIdleMs", SpecialType.System_Int32),
        ("ShutdownTimeoutMs", SpecialType.System_Int32),
        ("MaxRetryAttempts", SpecialType.System_Int32),
        ("RetryDelayMs", SpecialType.System_Int32),
        ("HealthCheckIntervalMs", SpecialType.System_Int32),
        ("ValidateOnIdle", SpecialType.System_Boolean),
        ("ValidationTimeoutMs", SpecialType.System_Int32),
        ("MaxConcurrentOpens", SpecialType.System_Int32),
        ("LeakThresholdMs", SpecialType.System_Int32),
    };

    /// <summary>Whether <paramref name="name"/> is an option this table copies.</summary>
    public static bool IsOption(string name) => TryGetType(name, out _);

    /// <summary>
    /// The C# literal for an option's value, or null when the value does not have the option's type. Ranges are not
    /// checked here: <c>PoolOptions.Validate</c> rejects them at runtime and the analyzer flags them in the IDE.
    /// </summary>
    public static string? ToLiteral(string name, object? value)
    {
        if (!TryGetType(name, out SpecialType type))
        {
            return null;
        }

        return (type, value) switch
        {
            (SpecialType.System_Int32, int number) => number.ToString(CultureInfo.InvariantCulture),
            (SpecialType.System_Boolean, bool flag) => flag ? "true" : "false",
            // "R" round-trips; NaN and infinities have no literal, so they are left to the default (and the analyzer).
            (SpecialType.System_Double, double number) when !double.IsNaN(number) && !double.IsInfinity(number) =>
                number.ToString("R", CultureInfo.InvariantCulture) + "d",
            _ => null,
        };
    }

    private static bool TryGetType(string name, out SpecialType type)
    {
        foreach ((string Name, SpecialType Type) option in Options)
        {
            if (option.Name == name)
            {
                type = option.Type;
                return true;
            }
        }

        type = SpecialType.None;
        return false;
    }
}
