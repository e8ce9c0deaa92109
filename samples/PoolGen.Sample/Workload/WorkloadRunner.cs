using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Workload;

/// <summary>
/// Runs the concurrent workload: many workers, each renting a connection per operation, for a fixed time, while a
/// printer shows the pool's state. The first failure stops every worker and is rethrown.
/// </summary>
internal sealed class WorkloadRunner(IOrderStore store, int workers, TimeSpan duration)
{
    /// <summary>Out of 100 operations, how many write; the rest read.</summary>
    private const int WritePercent = 30;

    public async Task<WorkloadResult> RunAsync(CancellationToken cancellationToken)
    {
        EnsureThreads(workers);
        using var latency = new RentLatency();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counters = new OperationCounters();
        long started = Stopwatch.GetTimestamp();
        long deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var printer = new LiveStatsPrinter(store.Pool, counters, started);
        var tasks = new Task[workers];
        for (int i = 0; i < workers; i++)
        {
            int seed = i;
            tasks[i] = Task.Run(() => WorkAsync(seed, deadline, counters, latency, failed), CancellationToken.None);
        }

        Task all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(LiveStatsPrinter.IntervalMs, CancellationToken.None));
            printer.PrintIfDue();
        }

        await all;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        printer.PrintFinal();
        return new WorkloadResult(workers, elapsed, counters.Reads, counters.Writes, latency.Summarize());
    }

    /// <summary>
    /// Microsoft.Data.Sqlite's async methods complete synchronously, so a worker holds a thread for the whole query.
    /// Without this the thread pool would add threads one at a time and the workers would trickle in over seconds.
    /// </summary>
    private static void EnsureThreads(int workers)
    {
        ThreadPool.GetMinThreads(out int worker, out int io);
        ThreadPool.SetMinThreads(Math.Max(worker, workers + Environment.ProcessorCount), io);
    }

    private async Task WorkAsync(int seed, long deadline, OperationCounters counters, RentLatency latency, CancellationTokenSource failed)
    {
        var random = new Random(seed);
        CancellationToken token = failed.Token;
        try
        {
            while (Stopwatch.GetTimestamp() < deadline && !token.IsCancellationRequested)
            {
                long customer = random.Next(1, Schema.CustomerCount + 1);
                int pick = random.Next(100);
                if (pick < WritePercent)
                {
                    await store.PlaceOrderAsync(customer, random.Next(100, 100_000), latency, token);
                    counters.AddWrite();
                }
                else if (pick < 65)
                {
                    await store.CustomerTotalsAsync(customer, latency, token);
                    counters.AddRead();
                }
                else
                {
                    await store.RecentOrdersAsync(customer, latency, token);
                    counters.AddRead();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped by Ctrl+C or by another worker's failure, which is the error the caller sees.
        }
        catch (Exception)
        {
            // Stop the other workers at once rather than let them run into the same problem for the rest of the run.
            await failed.CancelAsync();
            throw;
        }
    }
}
