using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PoolGen.Benchmarks.Postgres;

namespace PoolGen.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project tests/PoolGen.Benchmarks -- --filter '*'</c>. Every
/// BenchmarkDotNet option works; <c>--quick</c> adds a short job (few iterations) for smoke runs.
/// <c>--alloc-gate</c> runs no benchmark: it runs <see cref="AllocationGate"/>, which CI uses to fail on any allocation.
/// <c>--handoff</c> runs <see cref="HandOffLatency"/> instead, which prints how fast each pool wakes a waiting rent.
/// <c>--overload</c> runs <see cref="OverloadLatency"/> instead, which prints the waits of served rents and the time
/// failed rents took to fail, with ShedLoad off and on, under four times the load a pool can serve.
/// <c>--pg-latency</c> runs <see cref="PostgresLatency"/> instead, which prints throughput, p50/p99 latency and bytes
/// per operation for PoolGen and Npgsql's pool on a throwaway PostgreSQL cluster.
/// </summary>
internal static class Program
{
    private const string QuickSwitch = "--quick";
    private const string AllocationGateSwitch = "--alloc-gate";
    private const string HandOffSwitch = "--handoff";
    private const string PostgresLatencySwitch = "--pg-latency";
    private const string OverloadSwitch = "--overload";

    public static int Main(string[] args)
    {
        if (args.Contains(AllocationGateSwitch, StringComparer.OrdinalIgnoreCase))
        {
            return AllocationGate.Run();
        }

        if (args.Contains(HandOffSwitch, StringComparer.OrdinalIgnoreCase))
        {
            return HandOffLatency.Run();
        }

        if (args.Contains(OverloadSwitch, StringComparer.OrdinalIgnoreCase))
        {
            return OverloadLatency.Run();
        }

        if (args.Contains(PostgresLatencySwitch, StringComparer.OrdinalIgnoreCase))
        {
            return PostgresLatency.Run();
        }

        IConfig config = DefaultConfig.Instance;
        if (args.Contains(QuickSwitch, StringComparer.OrdinalIgnoreCase))
        {
            config = config.AddJob(Job.ShortRun.WithId("Quick").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
            args = args.Where(a => !string.Equals(a, QuickSwitch, StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
