using System;

namespace PoolGen;

/// <summary>
/// Prefers the endpoints that have done best lately: each candidate's score is its recent lease time
/// (<see cref="EndpointState.LatencyMs"/>) times its leases in flight plus one, raised by its recent failure rate. The
/// rent goes to a random one of the candidates whose score is within <see cref="Tolerance"/> of the best, so that many
/// clients reading the same numbers do not all pile onto one endpoint (a herd).
/// </summary>
/// <remarks>
/// An endpoint with no latency sample yet scores as the fastest, so a new or recovered endpoint gets traffic and is
/// measured. Lease time is the measure because a lease is the unit of work a pool sees: an endpoint whose queries run
/// slowly holds its leases longer.
/// </remarks>
public sealed class AdaptiveBalancer : IEndpointBalancer
{
    /// <summary>Creates the balancer.</summary>
    /// <param name="tolerance">How far above the best score a candidate may be and still be picked: 0.25 means 25 %.</param>
    public AdaptiveBalancer(double tolerance = 0.25)
    {
        if (!(tolerance >= 0 && tolerance <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be between 0 and 10 (0 to 1,000 %).");
        }

        Tolerance = tolerance;
    }

    /// <summary>How far above the best score a candidate may be and still be picked, as a fraction (0.25: 25 %).</summary>
    public double Tolerance { get; }

    /// <inheritdoc/>
    public BalancerInputs Inputs => BalancerInputs.InFlight | BalancerInputs.Latency;

    /// <inheritdoc/>
    public int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload)
    {
        if (candidates.Length == 1)
        {
            return 0;
        }

        double best = double.MaxValue;
        foreach (EndpointState candidate in candidates)
        {
            best = Math.Min(best, Score(candidate));
        }

        // Reservoir sampling over the near-best: one pass, no list, each of them equally likely.
        double limit = best * (1 + Tolerance);
        int chosen = 0;
        int seen = 0;
        for (int i = 0; i < candidates.Length; i++)
        {
            if (Score(candidates[i]) <= limit && Random.Shared.Next(++seen) == 0)
            {
                chosen = i;
            }
        }

        return chosen;
    }

    /// <summary>The candidate's score: lower is better.</summary>
    internal static double Score(EndpointState candidate)
    {
        // 0.1 ms floor: an unmeasured endpoint still counts its leases in flight.
        double latency = Math.Max(candidate.LatencyMs, 0.1);
        // A failure rate of 50 % doubles the score, 90 % and more multiplies it by ten.
        double failures = 1 / (1 - Math.Min(candidate.FailureRate, 0.9));
        return latency * (candidate.InFlight + 1) * failures;
    }
}
