using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>The log messages of <see cref="KeyedPools{TKey, TPool, TConnection, TLease}"/>; event ids 50 and up.</summary>
internal static class KeyedPoolsLog
{
    private static readonly Action<ILogger, string, string, int, int, Exception?> s_created =
        LoggerMessage.Define<string, string, int, int>(
            LogLevel.Debug,
            new EventId(50, "KeyedPoolCreated"),
            "Keyed pools '{Set}' created pool '{Pool}' ({Count} of MaxPools {MaxPools}).");

    private static readonly Action<ILogger, string, string, string, double, Exception?> s_evicted =
        LoggerMessage.Define<string, string, string, double>(
            LogLevel.Information,
            new EventId(51, "KeyedPoolEvicted"),
            "Keyed pools '{Set}' evicted pool '{Pool}' ({Reason}; unused for {IdleSeconds:0.#} s); it closes gracefully.");

    private static readonly Action<ILogger, string, string, Exception?> s_closeFailed =
        LoggerMessage.Define<string, string>(
            LogLevel.Warning,
            new EventId(52, "KeyedPoolCloseFailed"),
            "Keyed pools '{Set}': disposing pool '{Pool}' threw.");

    public static void Created(ILogger? logger, string set, string pool, int count, int maxPools)
    {
        if (logger is not null)
        {
            s_created(logger, set, pool, count, maxPools, null);
        }
    }

    public static void Evicted(ILogger? logger, string set, string pool, string reason, double idleSeconds)
    {
        if (logger is not null)
        {
            s_evicted(logger, set, pool, reason, idleSeconds, null);
        }
    }

    public static void CloseFailed(ILogger? logger, string set, string pool, Exception error)
    {
        if (logger is not null)
        {
            s_closeFailed(logger, set, pool, error);
        }
    }
}
