namespace PoolGen;

/// <summary>One endpoint's health in a multi-host pool: its role and routing state, and its own pool's health.</summary>
/// <param name="Endpoint">The endpoint.</param>
/// <param name="Role">Its role as last checked.</param>
/// <param name="IsOnline">Whether rents may be routed to it.</param>
/// <param name="LastError">Its latest failure, as "Type: message"; null when none.</param>
/// <param name="Pool">Its own pool's health.</param>
public sealed record EndpointHealth(PoolEndpoint Endpoint, EndpointRole Role, bool IsOnline, string? LastError, PoolHealth Pool);
