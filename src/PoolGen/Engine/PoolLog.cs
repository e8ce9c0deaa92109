using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// The pool's log messages, defined once so that logging below the enabled level costs a flag check. Event ids are
/// part of the public contract (README, "Logging").
/// </summary>
internal static class PoolLog
{
    private static readonly Action<ILogger, string, long, int, string, Exception?> s_leakSuspected =
        LoggerMessage.Define<string, long, int, string>(
            LogLevel.Warning,
            new EventId(1, "LeakSuspected"),
            "Pool '{Pool}': a lease has been held for {HeldMs} ms, longer than LeakThresholdMs ({LeakThresholdMs} ms); it is " +
            "probably leaked (never disposed on some path, see POOL101). It was rented at:{RentSite}");

    private static readonly Action<ILogger, string, int, int, string, Exception?> s_openRetrying =
        LoggerMessage.Define<string, int, int, string>(
            LogLevel.Debug,
            new EventId(2, "OpenRetrying"),
            "Pool '{Pool}' could not open a connection (attempt {Attempt}); retrying in {DelayMs} ms. {Error}");

    private static readonly Action<ILogger, string, string, Exception?> s_openFailed =
        LoggerMessage.Define<string, string>(
            LogLevel.Warning,
            new EventId(3, "OpenFailed"),
            "Pool '{Pool}' could not open a connection for a rent: {Error}");

    private static readonly Action<ILogger, string, string, Exception?> s_connectionClosed =
        LoggerMessage.Define<string, string>(
            LogLevel.Debug,
            new EventId(4, "ConnectionClosed"),
            "Pool '{Pool}' closed a connection: {Reason}.");

    private static readonly Action<ILogger, string, string, int, long, string, Exception?> s_failuresRepeated =
        LoggerMessage.Define<string, string, int, long, string>(
            LogLevel.Warning,
            new EventId(5, "FailuresRepeated"),
            "Pool '{Pool}': {Subject} failed again {Count} time(s) in the last {WindowMs} ms, the latest with {Error}");

    private static readonly Action<ILogger, string, string, string, string, Exception?> s_userCodeFailed =
        LoggerMessage.Define<string, string, string, string>(
            LogLevel.Warning,
            new EventId(6, "UserCodeFailed"),
            "Pool '{Pool}': {Method} threw {Error}; {Consequence}");

    private static readonly Action<ILogger, string, string, Exception?> s_providerPooling =
        LoggerMessage.Define<string, string>(
            LogLevel.Warning,
            new EventId(7, "ProviderPooling"),
            "Pool '{Pool}': its connections are opened with the provider's own pooling on ({Provider}). Closing a " +
            "connection then only parks it in the provider's pool, so Clear(), idle retirement and shutdown leave the " +
            "real connections (server sessions, file handles) open, and more of them than Max can exist. Add " +
            "'Pooling=false' to the connection string.");

    private static readonly Action<ILogger, string, int, string, string, Exception?> s_shutdownWaiting =
        LoggerMessage.Define<string, int, string, string>(
            LogLevel.Information,
            new EventId(8, "ShutdownWaiting"),
            "Pool '{Pool}' is shutting down and waits up to {ShutdownTimeoutMs} ms for {Leases} to come back.{RentSites}");

    private static readonly Action<ILogger, string, int, int, Exception?> s_shutdownForced =
        LoggerMessage.Define<string, int, int>(
            LogLevel.Warning,
            new EventId(9, "ShutdownForced"),
            "Pool '{Pool}' stopped waiting after ShutdownTimeoutMs ({ShutdownTimeoutMs} ms) with {Leases} lease(s) still out; " +
            "their connections are closed when they are returned. Look for leases held across shutdown or never disposed.");

    public static void LeakSuspected(ILogger logger, string pool, long heldMs, int thresholdMs, string rentSite) =>
        s_leakSuspected(logger, pool, heldMs, thresholdMs, rentSite, null);

    public static void OpenRetrying(ILogger logger, string pool, int attempt, int delayMs, string error) =>
        s_openRetrying(logger, pool, attempt, delayMs, error, null);

    public static void OpenFailed(ILogger logger, string pool, string error, Exception failure) =>
        s_openFailed(logger, pool, error, failure);

    public static void ConnectionClosed(ILogger logger, string pool, string reason) =>
        s_connectionClosed(logger, pool, reason, null);

    public static void FailuresRepeated(ILogger logger, string pool, string subject, int count, long windowMs, string error) =>
        s_failuresRepeated(logger, pool, subject, count, windowMs, error, null);

    public static void UserCodeFailed(ILogger logger, string pool, string method, string error, string consequence, Exception failure) =>
        s_userCodeFailed(logger, pool, method, error, consequence, failure);

    public static void ProviderPooling(ILogger logger, string pool, string provider) =>
        s_providerPooling(logger, pool, provider, null);

    public static void ShutdownWaiting(ILogger logger, string pool, int timeoutMs, int leases, string rentSites) =>
        s_shutdownWaiting(logger, pool, timeoutMs, leases == 1 ? "1 lease" : $"{leases} leases", rentSites, null);

    public static void ShutdownForced(ILogger logger, string pool, int timeoutMs, int leases) =>
        s_shutdownForced(logger, pool, timeoutMs, leases, null);
}
