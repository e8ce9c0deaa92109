using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

public sealed class OptionsAndHealthTests
{
    private static readonly PoolEndpoint A = new("a", 5432);
    private static readonly PoolEndpoint B = new("b", 5432);

    private static MultiHostOptions<FakeConnection> Options() =>
        new("orders", [A, B]) { RoleCheck = (_, _, _) => new ValueTask<EndpointRole>(EndpointRole.Primary) };

    [Fact]
    public void Validate_WithoutARoleCheck_SaysWhatToWrite()
    {
        var options = Options();
        options.RoleCheck = null;

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Multi-host pool 'orders' has no RoleCheck", error.Message);
        Assert.Contains("pg_is_in_recovery()", error.Message);
    }

    [Fact]
    public void Validate_WithAQuotaOutOfRange_NamesTheWorkloadAndTheRange()
    {
        var options = Options();
        options.QuotaPercent[Workload.Analytics] = 0;

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Contains("the quota of Analytics is 0 %; it must be between 1 and 100", error.Message);
    }

    [Fact]
    public void Validate_WithNoEndpoint_SaysHowManyAreAllowed()
    {
        var error = Assert.Throws<ArgumentException>(new MultiHostOptions<FakeConnection>("orders", []) { RoleCheck = Options().RoleCheck }.Validate);

        Assert.Contains("has 0 endpoints; it needs between 1 and 64", error.Message);
    }

    [Fact]
    public void Routes_DefaultToPrimaryForWritesAndPreferStandbyForReads_AndCanBeChanged()
    {
        var options = Options();

        Assert.Equal(
            [TargetRole.Primary, TargetRole.PreferStandby, TargetRole.PreferStandby, TargetRole.Primary, TargetRole.Primary],
            Enum.GetValues<Workload>().Select(options.RouteOf));
        Assert.Equal(TargetRole.Standby, options.Route(Workload.ReadOnly, TargetRole.Standby).RouteOf(Workload.ReadOnly));
    }

    private static PoolHealth Healthy(string name) =>
        new(PoolHealthStatus.Healthy, [], default(PoolStats) with { Name = name }, null, TimeSpan.Zero, 0, null, null);

    private static readonly IReadOnlyDictionary<Workload, TargetRole> Routes =
        Enum.GetValues<Workload>().ToDictionary(w => w, w => Options().RouteOf(w));

    [Fact]
    public void HealthReport_WithNoPrimaryOnline_IsUnhealthyForTheDefaultWorkload()
    {
        EndpointHealth[] endpoints =
        [
            new(A, EndpointRole.Primary, IsOnline: false, "SocketException: Connection refused", Healthy("orders@a")),
            new(B, EndpointRole.Standby, IsOnline: true, null, Healthy("orders@b")),
        ];

        PoolHealth health = MultiHostHealthReport.Write("orders", endpoints, Routes, Workload.ReadWrite, default);

        Assert.Equal(PoolHealthStatus.Unhealthy, health.Status);
        Assert.Contains("Endpoint a:5432 is offline: SocketException: Connection refused", health.Issues);
        Assert.Contains("ReadWrite rents fail: no primary is online.", health.Issues);
        Assert.Equal("orders", health.Name);
    }

    [Fact]
    public void HealthReport_WithOnlyAStandbyOnlyWorkloadStranded_IsDegraded()
    {
        var routes = new Dictionary<Workload, TargetRole>(Routes) { [Workload.Analytics] = TargetRole.Standby };
        EndpointHealth[] endpoints =
        [
            new(A, EndpointRole.Primary, IsOnline: true, null, Healthy("orders@a")),
            new(B, EndpointRole.Standby, IsOnline: false, "IOException: reset", Healthy("orders@b")),
        ];

        PoolHealth health = MultiHostHealthReport.Write("orders", endpoints, routes, Workload.ReadWrite, default);

        Assert.Equal(PoolHealthStatus.Degraded, health.Status);
        Assert.Contains("Analytics rents fail: it is standby-only and no standby is online.", health.Issues);
    }

    [Fact]
    public void HealthReport_BeforeAnyCheck_IsHealthyWithNoIssues()
    {
        EndpointHealth[] endpoints =
        [
            new(A, EndpointRole.Unknown, IsOnline: false, null, Healthy("orders@a")),
            new(B, EndpointRole.Unknown, IsOnline: false, null, Healthy("orders@b")),
        ];

        PoolHealth health = MultiHostHealthReport.Write("orders", endpoints, Routes, Workload.ReadWrite, default);

        Assert.Equal((PoolHealthStatus.Healthy, 0), (health.Status, health.Issues.Count));
    }
}
