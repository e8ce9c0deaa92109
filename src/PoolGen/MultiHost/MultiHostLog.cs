using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// What a multi-host pool logs: endpoints leaving and joining rotation and changing role, each a transition logged once
/// (not per rent). Event ids 100 and up, apart from the single-endpoint pools' own; listed in docs/multi-host.md.
/// </summary>
internal static partial class MultiHostLog
{
    [LoggerMessage(EventId = 100, EventName = "EndpointOffline", Level = LogLevel.Warning, Message =
        "Multi-host pool '{Pool}': endpoint {Endpoint} ({Role}) is offline: {Error} Rents go to the other endpoints; it is checked again at least every {RecheckIntervalMs} ms.")]
    public static partial void EndpointOffline(ILogger logger, string pool, string endpoint, EndpointRole role, string error, int recheckIntervalMs);

    [LoggerMessage(EventId = 101, EventName = "EndpointOnline", Level = LogLevel.Information, Message =
        "Multi-host pool '{Pool}': endpoint {Endpoint} is online as {Role}.")]
    public static partial void EndpointOnline(ILogger logger, string pool, string endpoint, EndpointRole role);

    [LoggerMessage(EventId = 102, EventName = "EndpointRoleChanged", Level = LogLevel.Warning, Message =
        "Multi-host pool '{Pool}': endpoint {Endpoint} changed role from {OldRole} to {NewRole} (a failover or a switchover); its connections are closed.")]
    public static partial void EndpointRoleChanged(ILogger logger, string pool, string endpoint, EndpointRole oldRole, EndpointRole newRole);
}
