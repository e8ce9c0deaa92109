using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.ResourcePools.Shared;

namespace PoolGen.ResourcePools.Buffers;

/// <summary>
/// Shows the buffer pool: a High-priority upload overtaking queued Low-priority batch work, then many operations at
/// once with memory staying at the bound and every buffer arriving clean.
/// </summary>
public static class BufferDemo
{
    /// <summary>Runs both scenes and prints what happened; true when every promise held.</summary>
    public static async Task<bool> RunAsync()
    {
        Console.WriteLine("Buffers: a pool of at most 2 buffers of 1 MiB");
        bool overtook = await OvertakingAsync();
        Console.WriteLine();
        Console.WriteLine("Buffers: 24 operations at once on a pool of at most 4 buffers of 1 MiB");
        bool bounded = await UnderLoadAsync();
        return overtook && bounded;
    }

    /// <summary>Both buffers held by exports; three Low batch jobs queue, then a High upload; the upload goes first.</summary>
    private static async Task<bool> OvertakingAsync()
    {
        await using var pool = new BufferPool(maxBuffers: 2);
        var order = new ServiceOrder();
        BufferPool.Lease exportA = await pool.RentAsync();
        BufferPool.Lease exportB = await pool.RentAsync();
        Console.WriteLine("  two exports hold both buffers");

        var operations = new List<Task>();
        foreach ((string name, PoolPriority priority) in new[]
                 {
                     ("thumbnails 1 (Low)", PoolPriority.Low),
                     ("thumbnails 2 (Low)", PoolPriority.Low),
                     ("thumbnails 3 (Low)", PoolPriority.Low),
                     ("user upload (High)", PoolPriority.High),
                 })
        {
            operations.Add(UseAsync(pool, name, priority, order));
            await Queueing.UntilPendingAsync(pool, operations.Count);
            Console.WriteLine($"  queued: {name}");
        }

        // One export finishes. Its buffer goes to the first in line, which passes it on when done, and so on: with
        // one buffer moving, the order it is served in is the order the queue chose.
        exportA.Dispose();
        Console.WriteLine("  one export finishes; its buffer goes to the queue");
        await Task.WhenAll(operations);
        exportB.Dispose();

        IReadOnlyList<string> served = order.Snapshot();
        Console.WriteLine($"  served in this order: {string.Join(", ", served)}");
        bool ok = served[0] == "user upload (High)" && pool.Stats.Leased == 0;
        Console.WriteLine(ok
            ? "  the High upload overtook the three Low jobs queued before it; the Low jobs kept their order"
            : "  UNEXPECTED: the High upload was not served first");
        return ok;
    }

    private static async Task UseAsync(BufferPool pool, string name, PoolPriority priority, ServiceOrder order)
    {
        await using BufferPool.Lease lease = await pool.RentAsync(priority);
        order.Served(name);
        Fill(lease.Connection, lease.Connection.SizeBytes / 2);
    }

    /// <summary>Operations of every priority compete for 4 buffers; the pool allocates 4 at most and hands each out clean.</summary>
    private static async Task<bool> UnderLoadAsync()
    {
        await using var pool = new BufferPool(maxBuffers: 4);
        PoolPriority[] priorities = [PoolPriority.Low, PoolPriority.Normal, PoolPriority.High];
        Dictionary<PoolPriority, List<double>> waits = priorities.ToDictionary(p => p, _ => new List<double>());
        int dirty = 0;
        IEnumerable<Task> operations = Enumerable.Range(0, 24).Select(async i =>
        {
            PoolPriority priority = priorities[i % priorities.Length];
            var waited = Stopwatch.StartNew();
            await using BufferPool.Lease lease = await pool.RentAsync(priority);
            double waitedMs = waited.Elapsed.TotalMilliseconds;
            LargeBuffer buffer = lease.Connection;
            if (buffer.Contents.IndexOfAnyExcept((byte)0) >= 0)
            {
                Interlocked.Increment(ref dirty);
            }

            Fill(buffer, buffer.SizeBytes);
            await Task.Delay(5);   // the rest of the operation: sending the buffer somewhere
            lock (waits)
            {
                waits[priority].Add(waitedMs);
            }
        });
        await Task.WhenAll(operations);

        foreach (PoolPriority priority in priorities.Reverse())
        {
            List<double> list = waits[priority];
            Console.WriteLine($"  {priority,-6}: {list.Count} operations, waited {list.Average(),5:0.0} ms on average, {list.Max(),5:0.0} ms at most");
        }

        PoolStats stats = pool.Stats;
        Console.WriteLine(
            $"  buffers allocated: {pool.AllocatedBuffers}, most alive at once: {pool.PeakLiveBuffers} (bound {pool.MemoryBoundBytes / (1 << 20)} MiB); " +
            $"rents {stats.Rents}, waited {stats.Waits}, leased now {stats.Leased}; buffers that arrived dirty: {dirty}");
        return pool.PeakLiveBuffers <= 4 && dirty == 0 && stats.Leased == 0;
    }

    // Stands in for the operation's real work: it writes data the next tenant must not see.
    private static void Fill(LargeBuffer buffer, int lengthBytes) => Random.Shared.NextBytes(buffer.Take(lengthBytes));
}
