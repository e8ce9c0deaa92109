using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.IntegrationTests.Packaging;

namespace PoolGen.IntegrationTests.Samples;

/// <summary>Runs a sample with <c>dotnet run</c> from the repository root, as the docs do, in the tests' configuration.</summary>
internal static class SampleCommand
{
    public static Task<ProcessResult> RunAsync(string project, params string[] arguments)
    {
        // The test assembly sits in bin/<configuration>/<framework>: building the sample in the same configuration finds
        // the projects it shares with the tests built already.
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        string[] run = ["run", "--project", project, "-c", configuration, "--disable-build-servers"];
        return ProcessRunner.RunAsync(
            "dotnet", arguments.Length == 0 ? run : [.. run, "--", .. arguments], TimeSpan.FromSeconds(240), RepositoryPaths.Root, ChildDotnet.Environment());
    }
}
