using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>The pool's log messages, defined once so that logging below the enabled level costs a flag check.</summary>
internal static class PoolLog
{
    private static readonly Action<ILogger, string, long, int, string, Exception?> s_leakSuspected =
        LoggerMessage.Define<string, long, int, string>(
            LogLevel.Warning,
            new EventId(1, "LeakSuspected"),
            "Pool '{Pool}': a lease has been held for {HeldMs} ms, longer than LeakThresholdMs ({LeakThresholdMs} ms); it is " +
            "probably leaked (never disposed on some path, see POOL101). It was rented at:{RentSite}");

    private static readonly Action<ILogger, string, int, int, Exception?> s_openRetrying =
        LoggerMessage.Define<string, int, int>(
            LogLevel.Warning,
            new EventId(2, "OpenRetrying"),
            "Pool '{Pool}' could not open a connection (attempt {Attempt}); retrying in {DelayMs} ms.");

    private static readonly Action<ILogger, string, int, Exception?> s_openFailed =
        LoggerMessage.Define<string, int>(
            LogLevel.Error,
            new EventId(3, "OpenFailed"),
            "Pool '{Pool}' gave up opening a connection after {Attempts} attempts.");

    private static readonly Action<ILogger, string, string, Exception?> s_connectionClosed =
        LoggerMessage.Define<string, string>(
            LogLevel.Debug,
            new EventId(4, "ConnectionClosed"),
            "Pool '{Pool}' closed a connection: {Reason}.");

    public static void LeakSuspected(ILogger logger, string pool, long heldMs, int thresholdMs, string rentSite) =>
        s_leakSuspected(logger, pool, heldMs, thresholdMs, rentSite, null);

    public static void OpenRetrying(ILogger logger, string pool, int attempt, int delayMs, Exception failure) =>
        s_openRetrying(logger, pool, attempt, delayMs, failure);

    public static void OpenFailed(ILogger logger, string pool, int attempts, Exception failure) =>
        s_openFailed(logger, pool, attempts, failure);

    public static void ConnectionClosed(ILogger logger, string pool, string reason) =>
        s_connectionClosed(logger, pool, reason, null);
}
