using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PoolGen.Generators;

namespace PoolGen.AnalyzerOverhead;

/// <summary>
/// One build of the corpus, in process, the way the compiler does it: parse, run the generator, emit, and, when
/// analyzers are given, run them over the same compilation. Every run starts from source text, so nothing bound by one
/// run is reused by the next.
/// </summary>
internal static class CompileRun
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly ImmutableArray<MetadataReference> References =
        Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(ConnectionPoolAttribute).Assembly.Location))
            .ToImmutableArray();

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: true);

    /// <summary>What one run took and found.</summary>
    internal sealed record Result(TimeSpan Elapsed, TimeSpan Cpu, int Errors, IReadOnlyDictionary<string, int> AnalyzerDiagnostics, IReadOnlyDictionary<string, TimeSpan> AnalyzerTimes);

    /// <summary>Builds <paramref name="sources"/>; with <paramref name="analyzers"/> not empty, analyzes them too.</summary>
    public static Result Build(IReadOnlyList<string> sources, ImmutableArray<DiagnosticAnalyzer> analyzers, bool logAnalyzerTimes = false)
    {
        // CPU time as well as wall time: on a shared machine other processes stretch the wall clock, much less the
        // processor time this process gets.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();

        var trees = new SyntaxTree[sources.Count];
        Parallel.For(0, sources.Count, i => trees[i] = CSharpSyntaxTree.ParseText(sources[i], ParseOptions, path: $"File{i}.cs"));
        CSharpCompilation compilation = CSharpCompilation.Create("Corpus", trees, References, Options);
        CSharpGeneratorDriver.Create(new[] { new ConnectionPoolGenerator().AsSourceGenerator() }, parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out _);

        using var peStream = new MemoryStream();
        int errors = generated.Emit(peStream).Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);

        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!analyzers.IsEmpty)
        {
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true,
                logAnalyzerExecutionTime: logAnalyzerTimes, reportSuppressedDiagnostics: false);
            CompilationWithAnalyzers withAnalyzers = generated.WithAnalyzers(analyzers, options);
            foreach (Diagnostic diagnostic in withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult())
            {
                found[diagnostic.Id] = found.TryGetValue(diagnostic.Id, out int count) ? count + 1 : 1;
            }

            if (logAnalyzerTimes)
            {
                foreach (DiagnosticAnalyzer analyzer in analyzers)
                {
                    times[analyzer.GetType().Name] = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)
                        .GetAwaiter().GetResult().ExecutionTime;
                }
            }
        }

        stopwatch.Stop();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return new Result(stopwatch.Elapsed, cpu, errors, found, times);
    }
}
