using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace PoolGen.ResourcePools.Shared;

/// <summary>Helpers for the sample's scripted scenes.</summary>
public static class Queueing
{
    /// <summary>
    /// Waits until <paramref name="pool"/> has <paramref name="pending"/> rents waiting. The scripted scenes start
    /// their rents one at a time and wait for each to join the queue, so the order they joined is the order they were
    /// started, whatever the thread pool does; a real application has no need for this.
    /// </summary>
    public static async Task UntilPendingAsync(IConnectionPool pool, int pending)
    {
        var clock = Stopwatch.StartNew();
        while (pool.Stats.Pending < pending)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Pool '{pool.Name}' still has {pool.Stats.Pending} rents waiting after 10 s; {pending} were expected.");
            }

            await Task.Delay(1);
        }
    }
}
