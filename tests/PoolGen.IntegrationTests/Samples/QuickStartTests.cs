using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Packaging;

namespace PoolGen.IntegrationTests.Samples;

/// <summary>The quick start runs with the README's command, from the repository root, with nothing set up first.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_RunsWithTheReadmesCommand_AndRentsThroughItsPool()
    {
        // The test assembly sits in bin/<configuration>/<framework>: building the sample in the same configuration finds
        // the projects it shares with the tests built already.
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
        };
        foreach (string name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            // The test host inherits MSBuild's variables from 'dotnet test'; the sample's build must find its own SDK.
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("MSBUILDDISABLENODEREUSE", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        ProcessResult run = await ProcessRunner.RunAsync(
            "dotnet",
            ["run", "--project", "samples/PoolGen.QuickStart", "-c", configuration, "--disable-build-servers"],
            TimeSpan.FromSeconds(240),
            RepositoryPaths.Root,
            environment);

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("through pool 'OrdersDb'.", run.Output, StringComparison.Ordinal);
        Assert.Contains("(Min 1, Max 8)", run.Output, StringComparison.Ordinal); // from appsettings.json
        Assert.Contains("health: Healthy.", run.Output, StringComparison.Ordinal);
        Assert.Contains("warmed up at start", run.Output, StringComparison.Ordinal); // the pool's log, through the host's logging
    }
}
