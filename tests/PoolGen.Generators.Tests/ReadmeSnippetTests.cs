using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// The README and the reference (docs/reference.md) are the first code users copy, so they are checked like code: every
/// <c>```csharp</c> block of the two compiles, all of them together with the generator applied, and the reference
/// tables match the runtime.
/// </summary>
public sealed class ReadmeSnippetTests
{
    private static readonly Lazy<string> Readme = new(() => File.ReadAllText(Path.Combine(FindRepositoryRoot(), "README.md")));

    private static readonly Lazy<string> Reference = new(() => File.ReadAllText(Path.Combine(FindRepositoryRoot(), "docs", "reference.md")));

    /// <summary>The C# blocks of the README, then of the reference.</summary>
    private static IReadOnlyList<CodeBlock> Blocks() =>
        CodeBlock.Extract(Readme.Value, "csharp").Concat(CodeBlock.Extract(Reference.Value, "csharp")).ToList();

    [Fact]
    public void Readme_CSharpBlocks_CompileTogetherWithTheGeneratorWithoutErrorsOrWarnings()
    {
        IReadOnlyList<CodeBlock> blocks = Blocks();
        Assert.True(blocks.Count >= 5, $"Found only {blocks.Count} ```csharp blocks in README.md and docs/reference.md; is the extraction broken?");

        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(blocks.Select(b => b.Code).ToArray()));

        Diagnostic[] problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Length == 0, "The C# blocks of README.md and docs/reference.md do not compile:" + Environment.NewLine + Describe(problems, blocks));
    }

    [Fact]
    public void Readme_EveryConnectionPoolClass_GetsAGeneratedPool()
    {
        IReadOnlyList<CodeBlock> blocks = Blocks();
        int pools = blocks.Sum(b => Regex.Matches(b.Code, @"^\[ConnectionPool\b", RegexOptions.Multiline).Count);

        (GeneratorRunResult result, _) = GeneratorHarness.Run(TestCompilation.Create(blocks.Select(b => b.Code).ToArray()));

        // A class the generator cannot use gets nothing, silently: an example nobody calls would never notice.
        Assert.Equal(pools, result.GeneratedSources.Length);
    }

    [Fact]
    public void Readme_NamesTheSampleAndTestCommands()
    {
        Assert.Contains("dotnet run --project samples/PoolGen.Sample", Readme.Value, StringComparison.Ordinal);
        Assert.Contains("dotnet test PoolGen.sln -c Release", Readme.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_ShowsHowToPackAndAddThePackagesFromALocalFolder()
    {
        Assert.Contains("dotnet pack src/PoolGen -c Release -o ../poolgen-packages", Readme.Value, StringComparison.Ordinal);
        Assert.Contains("dotnet pack src/PoolGen.Hosting -c Release -o ../poolgen-packages", Readme.Value, StringComparison.Ordinal);
        Assert.Contains("dotnet add package PoolGen --source ../poolgen-packages", Readme.Value, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project samples/PoolGen.QuickStart", Readme.Value, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(FindRepositoryRoot(), "src", "PoolGen.Hosting", "PoolGen.Hosting.csproj")));
        Assert.True(File.Exists(Path.Combine(FindRepositoryRoot(), "samples", "PoolGen.QuickStart", "PoolGen.QuickStart.csproj")));
    }

    [Fact]
    public void Readme_AttributeTable_ListsEveryPropertyWithItsTypeAndDefault()
    {
        var defaults = new ConnectionPoolAttribute();
        foreach (PropertyInfo property in typeof(ConnectionPoolAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            Match row = Regex.Match(Reference.Value, $@"^\| `{property.Name}` \| `(?<type>[^`]+)` \| (?<default>[^|]+) \|", RegexOptions.Multiline);
            Assert.True(row.Success, $"docs/reference.md's attribute table has no row for {property.Name}.");

            Assert.Equal(CSharpName(property.PropertyType), row.Groups["type"].Value);
            object? value = property.GetValue(defaults);
            string expected = value switch
            {
                null => "none",
                bool flag => $"`{(flag ? "true" : "false")}`",
                IFormattable number => $"`{number.ToString(null, System.Globalization.CultureInfo.InvariantCulture)}`",
                _ => $"`{value}`",
            };
            Assert.Equal(expected, row.Groups["default"].Value.Trim());
        }
    }

    private static string CSharpName(Type type) =>
        type == typeof(int) ? "int"
        : type == typeof(double) ? "double"
        : type == typeof(bool) ? "bool"
        : type == typeof(string) ? "string?"
        : type.Name;

    private static string Describe(IEnumerable<Diagnostic> problems, IReadOnlyList<CodeBlock> blocks) =>
        string.Join(Environment.NewLine, problems.Select(d =>
        {
            // TestCompilation names the trees User0.cs, User1.cs, ... in the order given: map back to README lines.
            string path = d.Location.SourceTree?.FilePath ?? string.Empty;
            Match index = Regex.Match(path, @"^User(\d+)\.cs$");
            if (!index.Success)
            {
                return $"  {path}: {d}";
            }

            CodeBlock block = blocks[int.Parse(index.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            int line = block.FirstLine + d.Location.GetLineSpan().StartLinePosition.Line;
            return $"  README.md({line}): {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }));

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PoolGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds PoolGen.sln.");
    }

    /// <summary>A fenced code block of the README and the README line its code starts on (1-based).</summary>
    private sealed record CodeBlock(string Code, int FirstLine)
    {
        public static IReadOnlyList<CodeBlock> Extract(string markdown, string language)
        {
            string[] lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            var blocks = new List<CodeBlock>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```" + language)
                {
                    continue;
                }

                int first = i + 1;
                int end = first;
                while (end < lines.Length && lines[end].Trim() != "```")
                {
                    end++;
                }

                Assert.True(end < lines.Length, $"README.md line {i + 1}: the ```{language} block is never closed.");
                blocks.Add(new CodeBlock(string.Join("\n", lines[first..end]), first + 1));
                i = end;
            }

            return blocks;
        }
    }
}
