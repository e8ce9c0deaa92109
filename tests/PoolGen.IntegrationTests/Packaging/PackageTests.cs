using System.Diagnostics;
using System.IO.Compression;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Packaging;

/// <summary>
/// Packs src/PoolGen as a user would receive it and builds a fresh project against the package alone: the runtime
/// and the generator must both arrive through one PackageReference.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private const string Version = "0.1.0";
    private static readonly TimeSpan DotnetLimit = TimeSpan.FromSeconds(150);

    private readonly TempDirectory _work = new("poolgen-pack");
    private readonly ITestOutputHelper _output;

    public PackageTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Package_HoldsRuntimeAndGenerator_AndAFreshProjectGeneratesAndRunsAPoolFromIt()
    {
        var stopwatch = Stopwatch.StartNew();
        string feed = _work.Combine("feed");

        ProcessResult pack = await DotnetAsync(
            RepositoryPaths.Root,
            "pack", Path.Combine(RepositoryPaths.Root, "src", "PoolGen", "PoolGen.csproj"), "-c", "Release", "-o", feed);
        Assert.True(pack.Succeeded, $"dotnet pack failed:{Environment.NewLine}{pack.Describe()}");
        TimeSpan packTime = stopwatch.Elapsed;

        string package = Path.Combine(feed, $"PoolGen.{Version}.nupkg");
        Assert.True(File.Exists(package), $"{Path.GetFileName(package)} is missing; the feed holds: {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
        string[] entries;
        using (ZipArchive archive = ZipFile.OpenRead(package))
        {
            entries = [.. archive.Entries.Select(e => e.FullName)];
        }

        string listing = string.Join(Environment.NewLine, entries);
        Assert.True(entries.Contains("lib/net8.0/PoolGen.dll"), $"the runtime is not in the package:{Environment.NewLine}{listing}");
        Assert.True(entries.Contains("analyzers/dotnet/cs/PoolGen.Generators.dll"), $"the generator is not in the package:{Environment.NewLine}{listing}");
        Assert.True(entries.Contains("analyzers/dotnet/cs/PoolGen.Analyzers.dll"), $"the analyzers are not in the package:{Environment.NewLine}{listing}");
        Assert.True(entries.Contains("analyzers/dotnet/cs/PoolGen.CodeFixes.dll"), $"the code fixes are not in the package:{Environment.NewLine}{listing}");
        Assert.False(entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("PoolGen.Generators.dll", StringComparison.Ordinal)),
            $"the generator must not be referenced as a library:{Environment.NewLine}{listing}");

        ProcessResult packHosting = await DotnetAsync(
            RepositoryPaths.Root,
            "pack", Path.Combine(RepositoryPaths.Root, "src", "PoolGen.Hosting", "PoolGen.Hosting.csproj"), "-c", "Release", "-o", feed);
        Assert.True(packHosting.Succeeded, $"dotnet pack of PoolGen.Hosting failed:{Environment.NewLine}{packHosting.Describe()}");
        using (ZipArchive hosting = ZipFile.OpenRead(Path.Combine(feed, $"PoolGen.Hosting.{Version}.nupkg")))
        {
            string[] hostingEntries = [.. hosting.Entries.Select(e => e.FullName)];
            Assert.Contains("lib/net8.0/PoolGen.Hosting.dll", hostingEntries);
            Assert.Contains("lib/net8.0/PoolGen.Hosting.xml", hostingEntries);
            Assert.Contains("README.md", hostingEntries);
            using var nuspec = new StreamReader(hosting.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            // The dependency brings PoolGen whole, generator included: PoolGen.Hosting alone is enough to get pools generated.
            Assert.Contains("<dependency id=\"PoolGen\" version=\"0.1.0\" include=\"All\"", await nuspec.ReadToEndAsync(), StringComparison.Ordinal);
        }

        string app = WriteConsoleProject(feed);
        ForgetInstalledPackage();

        ProcessResult run = await DotnetAsync(app, "run", "-c", "Release");
        _output.WriteLine($"pack {packTime.TotalSeconds:0.0} s, restore+build+run {run.Elapsed.TotalSeconds:0.0} s, total {stopwatch.Elapsed.TotalSeconds:0.0} s");
        _output.WriteLine(run.Describe());
        Assert.True(run.Succeeded, $"the project using the package did not build or run:{Environment.NewLine}{run.Describe()}");

        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("connection 1 rented, active: True", lines);
        Assert.Contains("connection 1 rented again, active: True", lines);
        Assert.Contains("rents: 2, created: 1, total: 1, idle: 1", lines);
        Assert.Contains("closed on dispose: 1", lines);
        Assert.Contains("registered through PoolGen.Hosting: FakeDb[main], max 1", lines);
    }

    // A project outside the repository: it must not inherit the repository's props or central package versions.
    private string WriteConsoleProject(string feed)
    {
        string app = _work.Combine("app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(_work.Path, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(_work.Path, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(_work.Path, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="poolgen-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "PackageUser.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PoolGen" Version="{Version}" />
                <PackageReference Include="PoolGen.Hosting" Version="{Version}" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="10.0.15" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.Extensions.DependencyInjection;
            using PoolGen;
            using PoolGen.Hosting;

            var db = new FakeDb();
            await using (FakeDb.Lease lease = await db.RentAsync())
            {
                Console.WriteLine($"connection {lease.Connection.Id} rented, active: {lease.IsActive}");
            }

            await using (FakeDb.Lease lease = await db.RentAsync())
            {
                Console.WriteLine($"connection {lease.Connection.Id} rented again, active: {lease.IsActive}");
            }

            PoolStats stats = db.Stats;
            Console.WriteLine($"rents: {stats.Rents}, created: {stats.Created}, total: {stats.Total}, idle: {stats.Idle}");
            db.Dispose();
            Console.WriteLine($"closed on dispose: {FakeConnection.Closed}");

            var services = new ServiceCollection();
            services.AddKeyedConnectionPool<FakeDb>("main", (_, _) => new FakeDb()).Configure(options => options.Max = 1);
            await using (ServiceProvider provider = services.BuildServiceProvider())
            {
                FakeDb registered = provider.GetRequiredKeyedService<FakeDb>("main");
                Console.WriteLine($"registered through PoolGen.Hosting: {registered.Stats.Name}, max {registered.Stats.Max}");
            }

            [ConnectionPool(Max = 2)]
            public sealed partial class FakeDb
            {
                private int _next;

                private FakeConnection Create() => new(++_next);
            }

            public sealed class FakeConnection(int id) : IDisposable
            {
                public static int Closed;

                public int Id { get; } = id;

                public void Dispose() => Closed++;
            }
            """);
        return app;
    }

    // Restores of the same version would otherwise take the copy installed by an earlier run instead of the new build.
    private static void ForgetInstalledPackage()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in new[] { "poolgen", "poolgen.hosting" })
        {
            string installed = Path.Combine(packages, id, Version);
            if (Directory.Exists(installed))
            {
                Directory.Delete(installed, recursive: true);
            }
        }
    }

    private static Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        return ProcessRunner.RunAsync("dotnet", [.. arguments, "--disable-build-servers"], DotnetLimit, workingDirectory, ChildDotnet.Environment());
    }
}
