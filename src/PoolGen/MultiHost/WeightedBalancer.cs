using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// Shares rents in proportion to <see cref="PoolEndpoint.Weight"/>: a standby of weight 3 gets three rents for each one
/// of a standby of weight 1. Deterministic: over any run of rents as long as the weights' sum, the shares are exact.
/// </summary>
public sealed class WeightedBalancer : IEndpointBalancer
{
    private uint _next;

    /// <inheritdoc/>
    public int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload)
    {
        if (candidates.Length == 1)
        {
            return 0;
        }

        long total = 0;
        foreach (EndpointState candidate in candidates)
        {
            total += candidate.Endpoint.Weight;
        }

        // Interleaved rather than in blocks (a, a, a, b): stepping through the cycle by a stride coprime with the total
        // visits every position once per cycle, so the shares stay exact while a burst of rents is spread.
        uint ticket = Interlocked.Increment(ref _next);
        long position = (long)(((ulong)ticket * (ulong)Stride(total)) % (ulong)total);
        for (int i = 0; i < candidates.Length; i++)
        {
            position -= candidates[i].Endpoint.Weight;
            if (position < 0)
            {
                return i;
            }
        }

        return candidates.Length - 1;
    }

    // The first number from about half the total up that shares no factor with it: 1 for a total of 1 or 2.
    private static long Stride(long total)
    {
        long stride = Math.Max(1, total / 2);
        while (Gcd(stride, total) != 1)
        {
            stride++;
        }

        return stride;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
