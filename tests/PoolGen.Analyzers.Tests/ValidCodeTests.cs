using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests;

/// <summary>
/// The guard against false positives: the idiomatic code in Valid/ compiles cleanly, gets a pool for every
/// <c>[ConnectionPool]</c> class, and every PoolGen analyzer raises nothing on it. A new rule must keep this green.
/// </summary>
public sealed class ValidCodeTests
{
    private static readonly string[] Sources = Directory
        .GetFiles(Path.Combine(AppContext.BaseDirectory, "Valid"), "*.cs")
        .OrderBy(path => path, StringComparer.Ordinal)
        .Select(File.ReadAllText)
        .ToArray();

    [Fact]
    public void ValidCode_CompilesAndRaisesNoPoolGenDiagnostic()
    {
        Assert.True(Sources.Length >= 2, "Valid/*.cs was not copied next to the tests.");
        (Compilation compilation, int generated) = TestCompilation.CreateWithGenerated(Sources);

        Diagnostic[] problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));
        Assert.Equal(1 + Sources.Sum(s => s.Split("[ConnectionPool").Length - 1), generated);

        Diagnostic[] diagnostics = AnalyzerHarness.Run(compilation, AnalyzerHarness.All);
        Assert.True(diagnostics.Length == 0, string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())));
    }
}
