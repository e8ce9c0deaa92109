using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// Takes the candidate with the fewest leases of this pool in flight (<see cref="EndpointState.InFlight"/>), so a slow
/// endpoint, which holds its leases longer, gets fewer new ones. Ties go round-robin, so idle endpoints share the rents.
/// </summary>
public sealed class LeastConnectionsBalancer : IEndpointBalancer
{
    private uint _start;

    /// <inheritdoc/>
    public BalancerInputs Inputs => BalancerInputs.InFlight;

    /// <inheritdoc/>
    public int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload)
    {
        if (candidates.Length == 1)
        {
            return 0;
        }

        // Scanning from a rotating start breaks ties in turn instead of always towards the first endpoint.
        int start = (int)(Interlocked.Increment(ref _start) % (uint)candidates.Length);
        int best = start;
        int fewest = candidates[start].InFlight;
        for (int step = 1; step < candidates.Length; step++)
        {
            int i = (start + step) % candidates.Length;
            int inFlight = candidates[i].InFlight;
            if (inFlight < fewest)
            {
                (best, fewest) = (i, inFlight);
            }
        }

        return best;
    }
}
