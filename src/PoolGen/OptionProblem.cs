using System;
using System.Globalization;

namespace PoolGen;

/// <summary>An option's value out of range, in the words of <see cref="OptionRules"/>; compiled into the analyzers too.</summary>
/// <param name="Setting">The option's name, e.g. <c>AcquireTimeoutMs</c>.</param>
/// <param name="Shown">The value as the message shows it, with its unit: <c>-1 ms</c>, <c>75 %</c>, <c>-2</c>.</param>
/// <param name="Value">The value itself.</param>
/// <param name="IsSize">Whether the option is a size (POOL004) rather than a time, percentage or count (POOL005).</param>
/// <param name="Reason">What the option accepts and what to do: the part of the message after "but".</param>
internal sealed record OptionProblem(string Setting, string Shown, double Value, bool IsSize, string Reason)
{
    /// <summary>The whole message for <paramref name="pool"/>, as the analyzers report it.</summary>
    public string Message(string pool) =>
        string.Format(CultureInfo.InvariantCulture, OptionRules.MessageFormat, Setting, pool, Shown, Reason);

    /// <summary>The runtime's exception: the same message, as a sentence.</summary>
    /// <param name="pool">The pool's name.</param>
    /// <param name="parameter">The argument to blame; the option's name when it is a property of the options.</param>
    public ArgumentOutOfRangeException ToException(string pool, string? parameter = null) =>
        new(parameter ?? Setting, Value, Message(pool) + ".");
}
