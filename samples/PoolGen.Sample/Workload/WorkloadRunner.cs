using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Workload;

/// <summary>
/// Runs the concurrent workload: many workers, each renting a connection per operation, for a fixed time, while a live
/// view shows the pool's state. The first failure stops every worker and is rethrown; in overload mode a rent the pool
/// refuses or times out is counted instead, as a service would answer "try later".
/// </summary>
internal sealed class WorkloadRunner(IOrderStore store, int workers, TimeSpan duration, bool overload)
{
    /// <summary>Out of 100 operations, how many write; the rest read.</summary>
    private const int WritePercent = 30;

    public async Task<WorkloadResult> RunAsync(CancellationToken cancellationToken)
    {
        EnsureThreads(workers);
        using var waits = new WaitTimes(store.Pool.Name);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counters = new OperationCounters();
        long started = Stopwatch.GetTimestamp();
        long deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var tasks = new Task[workers];
        for (int i = 0; i < workers; i++)
        {
            int seed = i;
            tasks[i] = Task.Run(() => WorkAsync(seed, deadline, counters, failed), CancellationToken.None);
        }

        Task all = Task.WhenAll(tasks);
        await LiveView.ShowUntilAsync(all, store, counters, waits, overload);
        await all;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        waits.Collect();
        return new WorkloadResult(workers, elapsed, counters, waits.RunMs(50), waits.RunMs(99), waits.Count);
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

    private async Task WorkAsync(int seed, long deadline, OperationCounters counters, CancellationTokenSource failed)
    {
        var random = new Random(seed);
        CancellationToken token = failed.Token;
        try
        {
            while (Stopwatch.GetTimestamp() < deadline && !token.IsCancellationRequested)
            {
                long customer = random.Next(1, Schema.CustomerCount + 1);
                PoolPriority priority = overload ? OverloadSettings.PriorityOf(random.Next(100)) : PoolPriority.Normal;
                try
                {
                    await OperateAsync(random, customer, priority, counters, token);
                }
                catch (PoolTimeoutException) when (overload)
                {
                    // Refused at once (PoolOverloadedException) or timed out: the caller would answer "busy, try later".
                    counters.AddRefused(priority);
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

    /// <summary>
    /// One operation: a write (a checkout, at High priority in overload mode), a report (the customer's latest orders, at
    /// Low priority in overload mode), or a total.
    /// </summary>
    private async Task OperateAsync(Random random, long customer, PoolPriority priority, OperationCounters counters, CancellationToken token)
    {
        int pick = random.Next(100);
        if (priority == PoolPriority.High || (priority == PoolPriority.Normal && pick < WritePercent))
        {
            await store.PlaceOrderAsync(customer, random.Next(100, 100_000), priority, token);
            counters.AddWrite(priority);
        }
        else if (priority == PoolPriority.Low || pick >= 65)
        {
            await store.RecentOrdersAsync(customer, priority, token);
            counters.AddRead(priority);
        }
        else
        {
            await store.CustomerTotalsAsync(customer, priority, token);
            counters.AddRead(priority);
        }
    }
}
