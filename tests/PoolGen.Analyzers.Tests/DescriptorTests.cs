using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests;

/// <summary>Every diagnostic is documented, tracked in the release files, listed in the README and reported by some analyzer.</summary>
public sealed class DescriptorTests
{
    private static readonly string Root = FindRepositoryRoot();

    public static IEnumerable<object[]> Descriptors() =>
        typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => new object[] { ((DiagnosticDescriptor)f.GetValue(null)!).Id });

    [Theory]
    [MemberData(nameof(Descriptors))]
    public void Descriptor_HasAHelpPage_AReleaseEntry_AReadmeRow_AndAnAnalyzer(string id)
    {
        DiagnosticDescriptor descriptor = AnalyzerHarness.All.SelectMany(a => a.SupportedDiagnostics).Single(d => d.Id == id);

        // No repository address is set in this build, so no rule links to a guessed one; with one set, each links to its page.
        Assert.True(
            descriptor.HelpLinkUri.Length == 0 || descriptor.HelpLinkUri.EndsWith($"/docs/rules/{id}.md", StringComparison.Ordinal),
            $"{id} links to '{descriptor.HelpLinkUri}'");
        Assert.DoesNotContain("github.com/poolgen", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Root, "docs", "rules", id + ".md")), $"docs/rules/{id}.md is missing.");
        string releases = File.ReadAllText(Path.Combine(Root, "analyzers", "PoolGen.Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(Root, "analyzers", "PoolGen.Analyzers", "AnalyzerReleases.Shipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases, StringComparison.Ordinal);
        Assert.Contains($"[{id}](docs/rules/{id}.md)", File.ReadAllText(Path.Combine(Root, "README.md")), StringComparison.Ordinal);
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PoolGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PoolGen.sln not found above " + AppContext.BaseDirectory);
    }
}
