using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.MultiHost;
using PoolGen.IntegrationTests.Packaging;

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
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["MSBUILDDISABLENODEREUSE"] = "1" };
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            // As in QuickStartTests: the sample's build must find its own SDK, not the test host's MSBuild.
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) && !name.Equals("MSBUILDDISABLENODEREUSE", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        ReplicaNode standby = _set.Nodes[1];
        ProcessResult run = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", "samples/PoolGen.Sample", "-c", configuration, "--disable-build-servers", "--",
                "--replica", _set.Primary.ConnectionString, standby.ConnectionString, "--seconds", "2", "--workers", "8"],
            TimeSpan.FromSeconds(240),
            RepositoryPaths.Root,
            environment);

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("OK: every order landed once and every lease came back.", run.Output, StringComparison.Ordinal);
        Assert.Matches($@"127\.0\.0\.1:{_set.Primary.Port}: Primary, online, [1-9]\d* rents", run.Output);
        Assert.Matches($@"127\.0\.0\.1:{standby.Port}: Standby, online, [1-9]\d* rents", run.Output);
    }
}
