using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Tests.Fakes;

namespace PoolGen.Benchmarks;

/// <summary>
/// The contended half of the allocation gate: <see cref="Workers"/> asynchronous workers share a generated pool of
/// <see cref="Max"/> connections, so most rents wait and most returns hand the connection to a waiter. Each worker
/// counts the bytes its own thread allocates inside the pool's calls only (<c>RentAsync</c> up to the point where it
/// waits, and <c>DisposeAsync</c>, which hands the connection over and queues the waiter's continuation), as
/// tests/PoolGen.Tests/Engine/AllocationTests.cs does, so nothing of the thread pool's own bookkeeping on other threads
/// is counted. Anything the pool allocated per wait would be at least 24 B times every wait, megabytes here; the gate
/// allows <see cref="BoundBytes"/> in all, room for the odd one-off object the runtime allocates while queueing a
/// continuation, and no per-wait amount.
/// </summary>
internal static class ContendedWaitGate
{
    /// <summary>Concurrent workers.</summary>
    public const int Workers = 8;

    /// <summary>Connections in the pool.</summary>
    public const int Max = 2;

    /// <summary>Waits after the warm-up during which allocations are counted.</summary>
    public const long WaitsMeasured = 100_000;

    /// <summary>Bytes the pool's calls may allocate over all measured waits together.</summary>
    public const long BoundBytes = 512;

    private const long WarmUpWaits = 20_000;

    // Only a guard against a hang: the gate measures bytes, never time.
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs the contended measurement and prints one line.</summary>
    /// <returns>True when the pool's calls stayed within <see cref="BoundBytes"/>.</returns>
    public static bool Run()
    {
        using var pool = new SizedFakeConnectionPool(Max);
        var meter = new ContentionMeter();

        // Hold every connection so that all workers queue at once: the pool then has a waiter for each of them, the most
        // it can ever need with this many workers, before anything is measured.
        SizedFakeConnectionPool.Lease first = pool.Rent();
        SizedFakeConnectionPool.Lease second = pool.Rent();
        var workers = new Task[Workers];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => Contend(pool, meter));
        }

        string name = $"PoolGen: {Workers} workers on Max {Max}, await RentAsync + DisposeAsync";
        try
        {
            if (!WaitUntil(() => pool.Stats.Pending == Workers, "every worker waiting", name))
            {
                first.Dispose();
                second.Dispose();
                return false;
            }

            first.Dispose();
            second.Dispose();
            if (!WaitUntil(() => pool.Stats.Waits >= WarmUpWaits, $"{WarmUpWaits:N0} waits of warm-up", name))
            {
                return false;
            }

            long waitsBefore = pool.Stats.Waits;
            Volatile.Write(ref meter.Measuring, 1);
            bool measured = WaitUntil(() => pool.Stats.Waits >= waitsBefore + WaitsMeasured, $"{WaitsMeasured:N0} measured waits", name);
            Volatile.Write(ref meter.Measuring, 0);
            long waits = pool.Stats.Waits - waitsBefore;
            long allocated = Interlocked.Read(ref meter.Bytes);
            Console.WriteLine(
                $"{name}: {allocated} B allocated in the pool's calls over {waits:N0} waits " +
                $"(bound {BoundBytes} B in all, not per wait)");
            return measured && allocated <= BoundBytes;
        }
        finally
        {
            Volatile.Write(ref meter.Stop, 1);
            Task.WaitAll(workers, PhaseLimit);
        }
    }

    private static async Task Contend(SizedFakeConnectionPool pool, ContentionMeter meter)
    {
        while (Volatile.Read(ref meter.Stop) == 0)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            ValueTask<SizedFakeConnectionPool.Lease> renting = pool.RentAsync();
            meter.Add(GC.GetAllocatedBytesForCurrentThread() - start);

            SizedFakeConnectionPool.Lease lease = await renting.ConfigureAwait(false);

            start = GC.GetAllocatedBytesForCurrentThread();
            _ = lease.Connection;
            ValueTask returning = lease.DisposeAsync();
            meter.Add(GC.GetAllocatedBytesForCurrentThread() - start);
            await returning.ConfigureAwait(false);
        }
    }

    private static bool WaitUntil(Func<bool> condition, string what, string name)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > PhaseLimit)
            {
                Console.WriteLine($"{name}: no {what} after {PhaseLimit.TotalSeconds:0} s; the pool or the machine is stuck");
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }
}
