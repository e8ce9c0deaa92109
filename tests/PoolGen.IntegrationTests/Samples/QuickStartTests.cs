using PoolGen.IntegrationTests.Infrastructure;

namespace PoolGen.IntegrationTests.Samples;

/// <summary>The quick start runs with the README's command, from the repository root, with nothing set up first.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task QuickStart_RunsWithTheReadmesCommand_AndRentsThroughItsPool()
    {
        ProcessResult run = await SampleCommand.RunAsync("samples/PoolGen.QuickStart");

        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("through pool 'OrdersDb'.", run.Output, StringComparison.Ordinal);
        Assert.Contains("(Min 1, Max 8)", run.Output, StringComparison.Ordinal); // from appsettings.json
        Assert.Contains("health: Healthy.", run.Output, StringComparison.Ordinal);
        Assert.Contains("warmed up at start", run.Output, StringComparison.Ordinal); // the pool's log, through the host's logging
    }
}
