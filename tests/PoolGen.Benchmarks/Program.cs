using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace PoolGen.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/PoolGen.Benchmarks -- --filter '*'</c>. Every
/// BenchmarkDotNet option works; <c>--quick</c> adds a short job (few iterations) for smoke runs in CI.
/// </summary>
internal static class Program
{
    private const string QuickSwitch = "--quick";

    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance;
        if (args.Contains(QuickSwitch, StringComparer.OrdinalIgnoreCase))
        {
            config = config.AddJob(Job.ShortRun.WithId("Quick").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
            args = args.Where(a => !string.Equals(a, QuickSwitch, StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
