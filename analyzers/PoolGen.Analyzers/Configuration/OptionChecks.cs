using System;
using System.Collections.Generic;
using System.Globalization;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// POOL004 and POOL005: the numbers <c>PoolOptions.Validate</c> would reject at runtime, shown where they are written.
/// </summary>
internal static class OptionChecks
{
    // The runtime's defaults (PoolDefaults) and its largest Max (PoolLimits.MaxSupported): the analyzers cannot load the
    // runtime assembly, so the three numbers are repeated here; a test compares them with the runtime's.
    internal const int DefaultMin = 0;
    internal const int DefaultMax = 100;
    internal const int MaxSupported = 1 << 20;

    // The same for the lifetime jitter (PoolDefaults.LifetimeJitterPercent, MaxLifetimeJitterPercent) and the retries
    // (PoolDefaults.MaxRetryAttempts), which the messages offer as the values to go back to.
    internal const double DefaultLifetimeJitterPercent = 2.5;
    internal const double MaxLifetimeJitterPercent = 50;
    internal const int DefaultMaxRetryAttempts = 3;

    // What 0 means for each time, so the message offers the value the user most likely wanted.
    private static readonly Dictionary<string, string> ZeroMeans = new(StringComparer.Ordinal)
    {
        ["AcquireTimeoutMs"] = "0 makes every rent that cannot be served at once fail",
        ["IdleTimeoutMs"] = "0 turns idle retirement off",
        ["MaxLifetimeMs"] = "0 means no lifetime limit",
        ["ValidateAfterIdleMs"] = "0 validates on every rent",
        ["ShutdownTimeoutMs"] = "0 closes at once without waiting for leases",
        ["HealthCheckIntervalMs"] = "0 turns maintenance passes off",
        ["ValidationTimeoutMs"] = "0 lets a validation take as long as it takes",
        ["LeakThresholdMs"] = "0 turns leak detection off",
    };

    public static void Check(PoolUnderAnalysis pool)
    {
        CheckSizes(pool);
        CheckTimes(pool);
        CheckJitter(pool);
        CheckRetries(pool);
    }

    private static void CheckSizes(PoolUnderAnalysis pool)
    {
        bool minSet = pool.TryGetArgument("Min", out int min);
        bool maxSet = pool.TryGetArgument("Max", out int max);
        min = minSet ? min : DefaultMin;
        max = maxSet ? max : DefaultMax;
        string name = pool.Type.Name;

        bool maxValid = max >= 1 && max <= MaxSupported;
        if (!maxValid)
        {
            pool.Report(DiagnosticDescriptors.SizeOutOfRange, pool.ArgumentLocation("Max"), "Max", name, Number(max),
                $"it must be between 1 and {Number(MaxSupported)}: pick the number of connections the database can serve at once");
        }

        if (pool.TryGetArgument("MaxConcurrentOpens", out int opens) && opens < 0)
        {
            pool.Report(DiagnosticDescriptors.SizeOutOfRange, pool.ArgumentLocation("MaxConcurrentOpens"), "MaxConcurrentOpens", name, Number(opens),
                "it must be 0 or more: use 0 for no limit, or the number of connections the database should see opened at once");
        }

        if (min < 0)
        {
            pool.Report(DiagnosticDescriptors.SizeOutOfRange, pool.ArgumentLocation("Min"), "Min", name, Number(min),
                "it must be between 0 and Max: use 0 to open connections only when they are rented");
        }
        else if (maxValid && min > max)
        {
            pool.Report(DiagnosticDescriptors.SizeOutOfRange, pool.ArgumentLocation("Min"), "Min", name, Number(min),
                $"Max is {Number(max)} and Min must not exceed it: lower Min or raise Max");
        }
    }

    // Every property in milliseconds, including ones added after this analyzer: the suffix is the contract.
    private static void CheckTimes(PoolUnderAnalysis pool)
    {
        foreach (var argument in pool.Attribute.NamedArguments)
        {
            if (!argument.Key.EndsWith("Ms", StringComparison.Ordinal) || argument.Value.Value is not int value || value >= 0)
            {
                continue;
            }

            string fix = ZeroMeans.TryGetValue(argument.Key, out string? zero)
                ? $"use a positive number of milliseconds, or 0 ({zero})"
                : "use 0 or a positive number of milliseconds";
            pool.Report(DiagnosticDescriptors.TimeOutOfRange, pool.ArgumentLocation(argument.Key), argument.Key, pool.Type.Name,
                Number(value) + " ms", "a time cannot be negative: " + fix);
        }
    }

    // NaN fails the range test too, as it does at runtime.
    private static void CheckJitter(PoolUnderAnalysis pool)
    {
        if (!pool.TryGetArgument("LifetimeJitterPercent", out double jitter) || (jitter >= 0 && jitter <= MaxLifetimeJitterPercent))
        {
            return;
        }

        pool.Report(DiagnosticDescriptors.TimeOutOfRange, pool.ArgumentLocation("LifetimeJitterPercent"), "LifetimeJitterPercent", pool.Type.Name,
            jitter.ToString(CultureInfo.InvariantCulture) + " %",
            $"it must be between 0 and {Number(MaxLifetimeJitterPercent)}: use a percentage in that range (the default is {Number(DefaultLifetimeJitterPercent)}; 0 turns jitter off)");
    }

    private static void CheckRetries(PoolUnderAnalysis pool)
    {
        if (!pool.TryGetArgument("MaxRetryAttempts", out int retries) || retries >= 0)
        {
            return;
        }

        pool.Report(DiagnosticDescriptors.TimeOutOfRange, pool.ArgumentLocation("MaxRetryAttempts"), "MaxRetryAttempts", pool.Type.Name, Number(retries),
            $"a number of retries cannot be negative: use 0 for one attempt and no retries, or a positive number (the default is {Number(DefaultMaxRetryAttempts)})");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
