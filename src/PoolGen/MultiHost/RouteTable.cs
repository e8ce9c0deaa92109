using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// Which endpoints may serve which role right now: an immutable snapshot the monitor publishes after every change of
/// state, so a rent reads one field and chooses without a lock or an allocation.
/// </summary>
internal sealed class RouteTable
{
    private readonly EndpointState[] _primaries;
    private readonly EndpointState[] _standbys;
    private readonly EndpointState[] _all;

    private RouteTable(EndpointState[] primaries, EndpointState[] standbys, EndpointState[] all, int unchecked_, Task changed)
    {
        _primaries = primaries;
        _standbys = standbys;
        _all = all;
        Unchecked = unchecked_;
        Changed = changed;
    }

    /// <summary>Endpoints whose first check has not finished yet: a rent nothing else can serve may wait for them.</summary>
    public int Unchecked { get; }

    /// <summary>Completes when a newer table replaces this one.</summary>
    public Task Changed { get; }

    /// <summary>A table of the endpoints' current states, completed by <paramref name="changed"/> when replaced.</summary>
    public static RouteTable Build(IReadOnlyList<EndpointState> endpoints, Task changed)
    {
        var primaries = new List<EndpointState>();
        var standbys = new List<EndpointState>();
        int unchecked_ = 0;
        foreach (EndpointState endpoint in endpoints)
        {
            if (!endpoint.Checked)
            {
                unchecked_++;
            }

            if (!endpoint.IsOnline)
            {
                continue;
            }

            (endpoint.Role == EndpointRole.Primary ? primaries : endpoint.Role == EndpointRole.Standby ? standbys : null)?.Add(endpoint);
        }

        return new RouteTable([.. primaries], [.. standbys], [.. primaries, .. standbys], unchecked_, changed);
    }

    /// <summary>The endpoints a rent routed to <paramref name="target"/> may use now; empty when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<EndpointState> Candidates(TargetRole target) => target switch
    {
        TargetRole.Primary => _primaries,
        TargetRole.Standby => _standbys,
        TargetRole.PreferStandby => _standbys.Length > 0 ? _standbys : _primaries,
        TargetRole.PreferPrimary => _primaries.Length > 0 ? _primaries : _standbys,
        _ => _all,
    };
}
