using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PoolGen.Analyzers.Configuration;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Infrastructure;

/// <summary>Runs PoolGen's analyzers over user code, the way the compiler runs them in a project.</summary>
internal static class AnalyzerHarness
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> All = ImmutableArray.Create<DiagnosticAnalyzer>(
        new ConfigurationAnalyzer(), new LeaseLeakAnalyzer(), new LeaseDiscardedAnalyzer(), new LeaseLifetimeAnalyzer(),
        new ConnectionUseAnalyzer(), new SyncRentInAsyncAnalyzer());

    /// <summary>PoolGen's diagnostics for <paramref name="sources"/>, ordered by position.</summary>
    public static Diagnostic[] Run(params string[] sources) => Run(All, sources);

    public static Diagnostic[] Run(DiagnosticAnalyzer analyzer, params string[] sources) =>
        Run(ImmutableArray.Create(analyzer), sources);

    /// <summary>The same for a program of another kind, such as a console application with top-level statements.</summary>
    public static Diagnostic[] Run(DiagnosticAnalyzer analyzer, OutputKind kind, params string[] sources) =>
        Run(TestCompilation.CreateWithGenerated(sources).Compilation.WithOptions(TestCompilation.Options.WithOutputKind(kind)), ImmutableArray.Create(analyzer));

    public static Diagnostic[] Run(ImmutableArray<DiagnosticAnalyzer> analyzers, params string[] sources) =>
        Run(TestCompilation.CreateWithGenerated(sources).Compilation, analyzers);

    public static Diagnostic[] Run(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true,
            logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        ImmutableArray<Diagnostic> diagnostics = compilation.WithAnalyzers(analyzers, options)
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult();

        // An analyzer that throws is reported as AD0001: that is a failure of the test, never a pass.
        Diagnostic? crash = diagnostics.FirstOrDefault(d => d.Id == "AD0001");
        Assert.True(crash is null, crash?.ToString());
        return diagnostics
            .Where(d => d.Id.StartsWith("POOL", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();
    }

    /// <summary>Compiler errors of user code: a test whose code does not compile proves nothing about the analyzer.</summary>
    public static Diagnostic[] CompileErrors(params string[] sources) =>
        TestCompilation.CreateWithGenerated(sources).Compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToArray();

    /// <summary>How many pools the generator emits for <paramref name="sources"/> (the prelude's own pool not counted).</summary>
    public static int GeneratedPools(params string[] sources) => TestCompilation.CreateWithGenerated(sources).GeneratedFiles - 1;

    /// <summary>The source text a diagnostic points at.</summary>
    public static string Text(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    /// <summary>Asserts exactly one diagnostic, with <paramref name="id"/>, at <paramref name="text"/>, and returns its message.</summary>
    public static string Single(Diagnostic[] diagnostics, string id, string text)
    {
        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(text, Text(diagnostic));
        return diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
