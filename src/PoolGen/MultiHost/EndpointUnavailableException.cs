using System;
using System.Collections.Generic;

namespace PoolGen;

/// <summary>
/// Thrown by a multi-host pool when no endpoint may serve a rent: none of the roles its workload is routed to is
/// online (during a failover, before a standby is promoted; or every standby is down for a standby-only workload), or
/// no endpoint answered its first check within the rent's deadline. The message lists every endpoint's state.
/// </summary>
public sealed class EndpointUnavailableException : Exception
{
    /// <summary>Creates the exception; the pool builds these.</summary>
    /// <param name="pool">The multi-host pool's name.</param>
    /// <param name="workload">The rent's workload.</param>
    /// <param name="target">Where the workload is routed.</param>
    /// <param name="endpoints">Each endpoint described with its role and state, as <see cref="EndpointState.ToString"/> writes it.</param>
    /// <param name="recheckIntervalMs">How often the pool rechecks its endpoints.</param>
    /// <param name="waited">How long the rent waited for first checks; zero when it failed at once.</param>
    public EndpointUnavailableException(
        string pool, Workload workload, TargetRole target, IReadOnlyList<string> endpoints, int recheckIntervalMs, TimeSpan waited)
        : base(FormatMessage(pool, workload, target, endpoints, recheckIntervalMs, waited))
    {
        PoolName = pool;
        Workload = workload;
        Target = target;
        Endpoints = endpoints;
        Waited = waited;
    }

    /// <summary>The multi-host pool's name.</summary>
    public string PoolName { get; }

    /// <summary>The rent's workload.</summary>
    public Workload Workload { get; }

    /// <summary>Where the workload is routed.</summary>
    public TargetRole Target { get; }

    /// <summary>Each endpoint with its role and state at the time.</summary>
    public IReadOnlyList<string> Endpoints { get; }

    /// <summary>How long the rent waited for endpoints' first checks; zero when it failed at once.</summary>
    public TimeSpan Waited { get; }

    private static string FormatMessage(
        string pool, Workload workload, TargetRole target, IReadOnlyList<string> endpoints, int recheckIntervalMs, TimeSpan waited)
    {
        string wanted = target switch
        {
            TargetRole.Primary => "the primary",
            TargetRole.Standby => "a standby (standby-only, no fall-back to the primary)",
            _ => "an endpoint whose role is known",
        };
        string what = waited > TimeSpan.Zero
            ? $"Multi-host pool '{pool}' found no endpoint for a {workload} rent ({wanted}) within {waited.TotalMilliseconds:0} ms: "
            : $"Multi-host pool '{pool}' has no endpoint online for a {workload} rent ({wanted}): ";
        string cause = target switch
        {
            TargetRole.Primary =>
                "If a failover is under way, writes fail like this until a standby is promoted; the pool notices the new " +
                $"primary at its next check (every {recheckIntervalMs} ms, and at once after errors). Otherwise check that " +
                "the primary is running and reachable, and that the role check recognises it.",
            TargetRole.Standby =>
                "The workload is routed to standbys only. Start or repair a standby, or route it with " +
                "TargetRole.PreferStandby to fall back to the primary.",
            _ => "Check that the servers are running and reachable from here, and that the role check succeeds on them.",
        };
        return what + string.Join("; ", endpoints) + ". " + cause;
    }
}
