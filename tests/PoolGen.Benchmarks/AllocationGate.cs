using System;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// The allocation gate CI runs (<c>--alloc-gate</c>): the PoolGen rent/return benchmarks' bodies, run directly on a
/// warm pool for about <see cref="Cycles"/> cycles each, synchronously and with <c>await</c>, counting the bytes the
/// thread allocates. Any byte fails the gate. Then <see cref="ContendedWaitGate"/> checks that waiting rents and the
/// returns that hand over to them allocate nothing per wait. No timing is measured, so a noisy machine cannot make it fail.
/// </summary>
internal static class AllocationGate
{
    /// <summary>Rent/return cycles measured per benchmark (rounded up to whole invocations).</summary>
    public const int Cycles = 100_000;

    private const int WarmUpInvocations = 50;

    /// <summary>Runs the gate and prints one line per benchmark.</summary>
    /// <returns>The process exit code: 0 when nothing was allocated, 1 otherwise.</returns>
    public static int Run()
    {
        var benchmarks = new RentReturnBenchmarks();
        benchmarks.Setup();
        try
        {
            bool syncClean = Measure("PoolGen: Rent + Dispose", benchmarks.GeneratedSync);
            bool asyncClean = Measure("PoolGen: await RentAsync + DisposeAsync", () => Wait(benchmarks.GeneratedAsync()));
            bool contendedClean = ContendedWaitGate.Run();
            bool clean = syncClean && asyncClean && contendedClean;
            Console.WriteLine(clean
                ? "allocation gate passed: 0 B per rent/return cycle, none per wait"
                : "allocation gate FAILED: a warm rent/return cycle must allocate 0 B, and a wait nothing either");
            return clean ? 0 : 1;
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static bool Measure(string name, Action invocation)
    {
        // Warm up first: the first calls allocate for tiered compilation and the pool's own lazy state.
        for (int i = 0; i < WarmUpInvocations; i++)
        {
            invocation();
        }

        int invocations = (Cycles + RentReturnBenchmarks.Operations - 1) / RentReturnBenchmarks.Operations;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < invocations; i++)
        {
            invocation();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long cycles = (long)invocations * RentReturnBenchmarks.Operations;
        Console.WriteLine($"{name}: {allocated} B allocated in {cycles:N0} cycles ({(double)allocated / cycles:0.###} B per cycle)");
        return allocated == 0;
    }

    // An idle pool completes every await at once; a benchmark that had to wait would have continued on another
    // thread, out of sight of the per-thread counter, so that counts as a failure too.
    private static void Wait(Task task)
    {
        if (!task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            throw new InvalidOperationException("An await on an idle pool did not complete synchronously.");
        }

        task.GetAwaiter().GetResult();
    }
}
