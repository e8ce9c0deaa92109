using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PoolGen.Generators.Tests.Infrastructure;

/// <summary>Runs <see cref="ConnectionPoolGenerator"/> over a compilation, with step tracking on.</summary>
internal static class GeneratorHarness
{
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new ConnectionPoolGenerator().AsSourceGenerator() },
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and returns its result and the compilation with the generated files; fails if it threw or reported anything.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        return (result, output);
    }

    /// <summary>The single generated file for <paramref name="sources"/>.</summary>
    public static GeneratedSourceResult RunSingle(params string[] sources)
    {
        GeneratorRunResult result = Run(TestCompilation.Create(sources)).Result;
        return Assert.Single(result.GeneratedSources);
    }

    /// <summary>Errors and warnings of a compilation, except missing XML docs on the test's own user types.</summary>
    public static Diagnostic[] Problems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => !(d.Id == "CS1591" && d.Location.SourceTree?.FilePath.StartsWith("User", StringComparison.Ordinal) == true))
            .ToArray();
}
