using System;
using System.Collections.Generic;
using System.Globalization;

namespace PoolGen;

/// <summary>
/// What each option accepts, and what to say when a value is out of range, written once for the runtime and the
/// analyzers: <c>PoolOptions.Validate</c> and <c>Resize</c> throw with these messages, and the analyzers, which compile
/// this file in, report the same messages where the value is written (POOL004 for sizes, POOL005 for the rest).
/// </summary>
/// <remarks>
/// The analyzers target netstandard2.0 and cannot see the runtime's types: keep this file (and
/// <see cref="OptionProblem"/>) to APIs that netstandard2.0 has. Defaults that a message mentions are passed in: the
/// runtime passes <c>PoolDefaults</c>, the analyzers read the same constants from the runtime the project references.
/// </remarks>
internal static class OptionRules
{
    /// <summary>The largest Max a pool accepts; beyond it a pool is almost certainly misconfigured.</summary>
    public const int MaxSupported = 1 << 20;

    /// <summary>The largest <c>LifetimeJitterPercent</c> accepted.</summary>
    public const double MaxLifetimeJitterPercent = 50;

    /// <summary>How a problem reads (setting, pool, value as shown, reason): the format of POOL004 and POOL005.</summary>
    public const string MessageFormat = "{0} of '{1}' is {2}, but {3}";

    // What 0 means for each time, so that the message offers the value the user most likely wanted.
    private static readonly Dictionary<string, string> ZeroMeans = new(StringComparer.Ordinal)
    {
        ["AcquireTimeoutMs"] = "0 makes every rent that cannot be served at once fail",
        ["IdleTimeoutMs"] = "0 turns idle retirement off",
        ["MaxLifetimeMs"] = "0 means no lifetime limit",
        ["ValidateAfterIdleMs"] = "0 validates on every rent",
        ["RetryDelayMs"] = "0 retries at once",
        ["ShutdownTimeoutMs"] = "0 closes at once without waiting for leases",
        ["HealthCheckIntervalMs"] = "0 turns maintenance passes off",
        ["ValidationTimeoutMs"] = "0 lets a validation take as long as it takes",
        ["LeakThresholdMs"] = "0 turns leak detection off",
        ["PriorityAgingMs"] = "0 ignores priorities and serves waiters first in, first out",
    };

    /// <summary>The problems of Min and Max, which are checked together: Max on its own, then Min against it.</summary>
    public static IEnumerable<OptionProblem> CheckSizes(int min, int max)
    {
        bool maxValid = max >= 1 && max <= MaxSupported;
        if (!maxValid)
        {
            yield return Size("Max", max,
                $"it must be between 1 and {Number(MaxSupported)}: pick the number of connections the database can serve at once");
        }

        if (min < 0)
        {
            yield return Size("Min", min,
                "it must be between 0 and Max: use 0 to open connections only when they are rented");
        }
        else if (maxValid && min > max)
        {
            yield return Size("Min", min, $"Max is {Number(max)} and Min must not exceed it: lower Min or raise Max");
        }
    }

    /// <summary>
    /// The problem of one option's value, or null when it is in range or the option has no range of its own (Min and
    /// Max: see <see cref="CheckSizes"/>). Every option whose name ends in <c>Ms</c> is a time, which must be 0 or more.
    /// </summary>
    /// <param name="setting">The option's name, the same on the attribute and on the options.</param>
    /// <param name="value">Its value.</param>
    /// <param name="defaultValue">Its default, which some messages offer as the value to go back to; null when unknown.</param>
    public static OptionProblem? Check(string setting, double value, double? defaultValue)
    {
        switch (setting)
        {
            case "MaxConcurrentOpens":
                return value >= 0 ? null : Size(setting, value,
                    "it must be 0 or more: use 0 for no limit, or the number of connections the database should see opened at once");

            case "MaxPendingRents":
                return value >= 0 ? null : Size(setting, value,
                    "it must be 0 or more: use 0 for no limit, or the most rents that may wait before new ones are refused");

            case "MaxRetryAttempts":
                return value >= 0 ? null : Other(setting, Number(value), value,
                    "a number of retries cannot be negative: use 0 for one attempt and no retries, or a positive number"
                    + (defaultValue is { } retries ? $" (the default is {Number(retries)})" : string.Empty));

            // NaN fails the range test too.
            case "LifetimeJitterPercent":
                return value >= 0 && value <= MaxLifetimeJitterPercent ? null : Other(setting, Number(value) + " %", value,
                    $"it must be between 0 and {Number(MaxLifetimeJitterPercent)}: use a percentage in that range ("
                    + (defaultValue is { } jitter ? $"the default is {Number(jitter)}; " : string.Empty) + "0 turns jitter off)");
        }

        if (!setting.EndsWith("Ms", StringComparison.Ordinal) || value >= 0)
        {
            return null;
        }

        string fix = ZeroMeans.TryGetValue(setting, out string? zero)
            ? $"use a positive number of milliseconds, or 0 ({zero})"
            : "use 0 or a positive number of milliseconds";
        return Other(setting, Number(value) + " ms", value, "a time cannot be negative: " + fix);
    }

    private static OptionProblem Size(string setting, double value, string reason) =>
        new(setting, Number(value), value, IsSize: true, reason);

    private static OptionProblem Other(string setting, string shown, double value, string reason) =>
        new(setting, shown, value, IsSize: false, reason);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
