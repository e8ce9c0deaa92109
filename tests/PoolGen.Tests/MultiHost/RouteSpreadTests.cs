namespace PoolGen.Tests.MultiHost;

/// <summary>
/// The fast routes' ring: turns in order, a relink that keeps the turn where it can, and a turn written back stale by a
/// rent racing a relink (or the pool's shutdown) that leads back into the current ring on the next rent.
/// </summary>
public sealed class RouteSpreadTests
{
    private const Workload Reads = Workload.ReadOnly;

    private readonly Engine[] _engines = [new("a"), new("b"), new("c")];
    private RouteSpread _spread;

    [Fact]
    public void Turns_FollowTheCandidatesInOrder_AndARingOfOneStaysPut()
    {
        Link(Reads, 0, 1, 2);
        Link(Workload.ReadWrite, 2);

        Assert.Equal("abcabca", Take(Reads, 7));
        Assert.Equal("ccc", Take(Workload.ReadWrite, 3));
    }

    [Fact]
    public void Relink_KeepsTheTurnWithAnEngineThatStays_AndMovesItToTheFirstFromOneThatLeft()
    {
        Link(Reads, 0, 1, 2);
        Assert.Equal("a", Take(Reads, 1));

        Link(Reads, 0, 2, 1);
        Assert.Equal("bac", Take(Reads, 3));

        Link(Reads, 2, 0);
        Assert.Equal("ca", Take(Reads, 2));
    }

    [Fact]
    public void ATurnWrittenBackStale_LastsOneRent()
    {
        Link(Reads, 0, 1);

        // A rent read b's link to a, the ring became c alone, and the rent wrote a back after the relink.
        Link(Reads, 2);
        _spread.Pass(Reads, _engines[0]);

        Assert.Equal("accc", Take(Reads, 4));
    }

    [Fact]
    public void Clear_EmptiesEveryRoute_AndAStaleTurnAfterItLastsOneRent()
    {
        Link(Reads, 0, 1);
        Link(Workload.ReadWrite, 2);

        _spread.Clear(_engines);
        Assert.Null(_spread.Current(Workload.ReadWrite));

        _spread.Pass(Reads, _engines[1]);
        Assert.Equal("b", Take(Reads, 1));
        Assert.Null(_spread.Current(Reads));
    }

    [Fact]
    public void NoCandidates_OrAWorkloadOutOfRange_TakeTheSlowPath()
    {
        Link(Reads);

        Assert.Null(_spread.Current(Reads));
        Assert.Null(_spread.Current((Workload)RouteSpread.Workloads));
        Assert.Null(_spread.Current((Workload)(-1)));
    }

    private void Link(Workload workload, params int[] candidates)
    {
        EndpointState[] states = [.. candidates.Select(i => new EndpointState(new PoolEndpoint(_engines[i].Name, 5432), i, BalancerInputs.None))];
        _spread.Link(workload, states, _engines);
    }

    // Takes turns as a routed rent does: the current engine's link becomes the next turn.
    private string Take(Workload workload, int turns)
    {
        string taken = "";
        for (int i = 0; i < turns; i++)
        {
            var engine = (Engine)_spread.Current(workload)!;
            _spread.Pass(workload, engine.Next[(int)workload]);
            taken += engine.Name;
        }

        return taken;
    }

    private sealed class Engine(string name) : IEndpointEngine
    {
        public string Name { get; } = name;

        public IEndpointEngine?[] Next { get; } = new IEndpointEngine?[RouteSpread.Workloads];

        public bool ServesFastRoutes => true;

        public void Attach(EndpointState endpoint, MultiHostMetrics metrics)
        {
        }

        public void LinkRoute(Workload workload, IEndpointEngine? next) => Next[(int)workload] = next;
    }
}
