namespace PoolGen.Tests.MultiHost;

public sealed class BalancerTests
{
    private static EndpointState[] Endpoints(params int[] weights) =>
        weights.Select((w, i) => new EndpointState(new PoolEndpoint("h", 5000 + i, weight: w), i)).ToArray();

    private static int[] Counts(IEndpointBalancer balancer, EndpointState[] candidates, int picks)
    {
        int[] counts = new int[candidates.Length];
        for (int i = 0; i < picks; i++)
        {
            counts[balancer.Choose(candidates, Workload.ReadOnly)]++;
        }

        return counts;
    }

    [Fact]
    public void RoundRobin_TakesEachCandidateInTurn()
    {
        EndpointState[] candidates = Endpoints(1, 1, 1);

        Assert.Equal([100, 100, 100], Counts(new RoundRobinBalancer(), candidates, 300));
    }

    [Fact]
    public void LeastConnections_PicksTheEndpointWithFewestLeasesInFlight()
    {
        EndpointState[] candidates = Endpoints(1, 1, 1);
        candidates[0].Leased();
        candidates[0].Leased();
        candidates[2].Leased();

        Assert.Equal([0, 50, 0], Counts(new LeastConnectionsBalancer(), candidates, 50));
    }

    [Fact]
    public void LeastConnections_WhenTied_SharesInTurn()
    {
        Assert.Equal([50, 50], Counts(new LeastConnectionsBalancer(), Endpoints(1, 1), 100));
    }

    [Fact]
    public void Weighted_SharesRentsExactlyInProportionToWeightAndInterleavesThem()
    {
        var balancer = new WeightedBalancer();
        EndpointState[] candidates = Endpoints(3, 1);

        Assert.Equal([300, 100], Counts(balancer, candidates, 400));

        // Interleaved: in every 4 consecutive picks the light endpoint appears once, never a run of 4 of the heavy one.
        int run = 0, longest = 0;
        for (int i = 0; i < 400; i++)
        {
            run = balancer.Choose(candidates, Workload.ReadOnly) == 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        Assert.InRange(longest, 1, 3);
    }

    [Fact]
    public void Adaptive_AvoidsTheSlowEndpointAndSpreadsAmongTheFastOnes()
    {
        EndpointState[] candidates = Endpoints(1, 1, 1);
        candidates[0].RecordLatency(2.0);
        candidates[1].RecordLatency(2.1);
        candidates[2].RecordLatency(40.0);

        int[] counts = Counts(new AdaptiveBalancer(), candidates, 2_000);

        Assert.Equal(0, counts[2]);
        // Random among the near-best: each of the two fast ones gets a fair share, not all of it (no herd).
        Assert.InRange(counts[0], 800, 1_200);
        Assert.InRange(counts[1], 800, 1_200);
    }

    [Fact]
    public void Adaptive_PenalisesAnEndpointThatFails()
    {
        EndpointState[] candidates = Endpoints(1, 1);
        candidates[0].RecordLatency(2.0);
        candidates[1].RecordLatency(2.0);
        for (int i = 0; i < 10; i++)
        {
            candidates[1].RecordOutcome(failed: true);
        }

        Assert.Equal([500, 0], Counts(new AdaptiveBalancer(), candidates, 500));
    }
}
