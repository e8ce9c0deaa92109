using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.MultiHost;

namespace PoolGen.IntegrationTests.Samples;

/// <summary>The workload sample's --replica mode, as the docs run it, against the fixture's primary and a standby.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaSampleTests
{
    private readonly ReplicaSet _set;

    public ReplicaSampleTests(ReplicaFixture fixture) => _set = fixture.Set;

    [Fact]
    public async Task Sample_InReplicaMode_WritesOnThePrimaryReadsOnTheStandbyAndLosesNoOrder()
    {
        ReplicaNode standby = _set.Nodes[1];
        ProcessResult run = await SampleCommand.RunAsync(
            "samples/PoolGen.Sample", "--replica", _set.Primary.ConnectionString, standby.ConnectionString, "--seconds", "2", "--workers", "8");

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("OK: every order landed once and every lease came back.", run.Output, StringComparison.Ordinal);
        Assert.Matches($@"127\.0\.0\.1:{_set.Primary.Port}: Primary, online, [1-9]\d* rents", run.Output);
        Assert.Matches($@"127\.0\.0\.1:{standby.Port}: Standby, online, [1-9]\d* rents", run.Output);
    }
}
