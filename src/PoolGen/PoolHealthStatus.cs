using System.Text.Json.Serialization;

namespace PoolGen;

/// <summary>
/// How well a pool is doing, from <see cref="PoolHealth.Status"/>. In JSON it is written as its name (<c>"Degraded"</c>),
/// not as a number.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoolHealthStatus>))]
public enum PoolHealthStatus
{
    /// <summary>Connections open and rents are served without trouble.</summary>
    Healthy,

    /// <summary>The pool works but something needs attention: it is exhausted, opens fail often, rents wait long, or leases leak.</summary>
    Degraded,

    /// <summary>The pool cannot serve rents: it cannot open a connection and has none, its last check failed, or it is disposed.</summary>
    Unhealthy,
}
