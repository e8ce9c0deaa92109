using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using PoolGen.Analyzers.Usage;

namespace PoolGen.AnalyzerOverhead;

/// <summary>
/// What PoolGen's analyzers add to a build: <c>dotnet run -c Release --project tests/PoolGen.AnalyzerOverhead --
/// [--files 1000] [--reps 7]</c>. Builds a generated corpus of service files that use pools, in three configurations
/// taken in turn on every repetition (no analyzers; an analyzer that does nothing; PoolGen's analyzers), and prints
/// the median of each and the overhead. Exits with 1 when the corpus does not compile or PoolGen reports anything on
/// it: the corpus is correct code, and a benchmark of analyzers that report false positives would measure the wrong
/// thing.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        int files = Option(args, "--files", 1000);
        int reps = Option(args, "--reps", 7);
        string[] sources = CorpusWriter.Corpus(files).ToArray();

        ImmutableArray<DiagnosticAnalyzer> poolGen = typeof(LeaseLeakAnalyzer).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var configurations = new (string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)[]
        {
            ("no analyzers", ImmutableArray<DiagnosticAnalyzer>.Empty),
            ("idle analyzer", ImmutableArray.Create<DiagnosticAnalyzer>(new IdleAnalyzer())),
            ("PoolGen analyzers", poolGen),
        };

        Console.WriteLine($"{sources.Length} files ({files} services, {CountLines(sources)} lines), {reps} repetitions, {Environment.ProcessorCount} cores");
        Console.WriteLine("PoolGen analyzers: " + string.Join(", ", poolGen.Select(a => a.GetType().Name)));

        // Warm-up: the first builds pay for JIT compilation (this one also checks that the corpus is clean).
        CompileRun.Result check = CompileRun.Build(sources, poolGen);
        CompileRun.Build(sources, configurations[0].Analyzers);

        if (check.Errors > 0 || check.AnalyzerDiagnostics.Count > 0)
        {
            Console.Error.WriteLine($"The corpus is not clean: {check.Errors} compile errors; PoolGen reported "
                + string.Join(", ", check.AnalyzerDiagnostics.Select(d => $"{d.Key} x{d.Value}")));
            return 1;
        }

        var wall = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        for (int rep = 0; rep < reps; rep++)
        {
            foreach (var configuration in configurations)
            {
                CompileRun.Result result = CompileRun.Build(sources, configuration.Analyzers);
                wall[configuration.Name].Add(result.Elapsed.TotalSeconds);
                cpu[configuration.Name].Add(result.Cpu.TotalSeconds);
            }

            Console.WriteLine($"rep {rep + 1} (wall / CPU s): "
                + string.Join("  ", configurations.Select(c => $"{c.Name} {Format(wall[c.Name][rep])} / {Format(cpu[c.Name][rep])}")));
        }

        Console.WriteLine();
        double none = Median(wall["no analyzers"]);
        foreach ((string measure, Dictionary<string, List<double>> samples) in new[] { ("wall", wall), ("CPU", cpu) })
        {
            double noAnalyzers = Median(samples["no analyzers"]);
            double idle = Median(samples["idle analyzer"]);
            double with = Median(samples["PoolGen analyzers"]);
            Console.WriteLine($"median {measure} time: no analyzers {Format(noAnalyzers)} s, idle analyzer {Format(idle)} s ({Percent(idle, noAnalyzers)}), "
                + $"PoolGen analyzers {Format(with)} s ({Percent(with, noAnalyzers)} over no analyzers, {Percent(with, idle)} over the idle analyzer)");
        }

        // Timing every callback slows the analyzers down, so the breakdown comes from a run of its own.
        CompileRun.Result timed = CompileRun.Build(sources, poolGen, logAnalyzerTimes: true);
        double own = timed.AnalyzerTimes.Values.Sum(t => t.TotalSeconds);
        Console.WriteLine($"PoolGen analyzers' own execution time (one extra run, summed over threads): {Format(own)} s = {Percent(none + own, none)} of the build without analyzers");
        foreach (KeyValuePair<string, TimeSpan> entry in timed.AnalyzerTimes.OrderByDescending(e => e.Value))
        {
            Console.WriteLine($"  {entry.Key,-28} {Format(entry.Value.TotalSeconds)} s");
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int CountLines(IEnumerable<string> sources) => sources.Sum(s => s.Split('\n').Length);

    private static double Median(List<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Format(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Percent(double value, double baseline) =>
        ((value - baseline) / baseline).ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture);
}
