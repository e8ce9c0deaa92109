namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>The environment of a <c>dotnet</c> command a test starts: quiet, no build servers left behind, its own SDK.</summary>
internal static class ChildDotnet
{
    public static IReadOnlyDictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        };

        // The test host inherits MSBuild's variables from 'dotnet test'; a child build must find its own SDK instead.
        foreach (string name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("MSBUILDDISABLENODEREUSE", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        return environment;
    }
}
