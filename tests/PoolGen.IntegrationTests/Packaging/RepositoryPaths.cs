namespace PoolGen.IntegrationTests.Packaging;

internal static class RepositoryPaths
{
    /// <summary>The folder holding PoolGen.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PoolGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"PoolGen.sln was not found above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
