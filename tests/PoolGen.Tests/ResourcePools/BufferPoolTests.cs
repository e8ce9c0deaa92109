using System.Collections.Concurrent;
using PoolGen.ResourcePools.Buffers;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.ResourcePools;

/// <summary>
/// The sample's pool of large buffers: it never allocates more than Max buffers however many operations compete, lends
/// a buffer to one operation at a time, scrubs it between tenants, serves waiting rents by priority and loses no lease.
/// </summary>
public sealed class BufferPoolTests
{
    private const int BufferBytes = 64 * 1024;

    [Fact]
    public async Task ManyConcurrentOperations_NeverAllocateMoreThanMaxBuffers_AndEveryLeaseComesBack()
    {
        await using var pool = new BufferPool(maxBuffers: 3, BufferBytes);
        var inUse = new ConcurrentDictionary<int, bool>();
        int doubleLent = 0, dirty = 0, overBound = 0;
        PoolPriority[] priorities = [PoolPriority.Low, PoolPriority.Normal, PoolPriority.High, PoolPriority.Critical];

        await Task.WhenAll(Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                await using BufferPool.Lease lease = await pool.RentAsync(priorities[(worker + i) % priorities.Length]);
                LargeBuffer buffer = lease.Connection;
                if (!inUse.TryAdd(buffer.Id, true))
                {
                    Interlocked.Increment(ref doubleLent);
                }

                if (pool.LiveBuffers > 3)
                {
                    Interlocked.Increment(ref overBound);
                }

                if (buffer.Contents.IndexOfAnyExcept((byte)0) >= 0)
                {
                    Interlocked.Increment(ref dirty);
                }

                buffer.Take(BufferBytes).Fill((byte)(worker + 1));
                await Task.Yield();
                inUse.TryRemove(buffer.Id, out _);
            }
        })));

        PoolStats stats = pool.Stats;
        Assert.Equal((0, 0, 0), (doubleLent, dirty, overBound));
        Assert.InRange(pool.PeakLiveBuffers, 1, 3);
        Assert.InRange(pool.AllocatedBuffers, 1, 3);
        Assert.Equal((32L * 25, 0), (stats.Rents, stats.Leased));
        Assert.True(stats.Waits > 0, "the workers should have competed for the buffers");
    }

    [Fact]
    public async Task AReturnedBuffer_IsZeroedBeforeTheNextOperationGetsIt()
    {
        await using var pool = new BufferPool(maxBuffers: 1, BufferBytes);
        int firstId;
        using (BufferPool.Lease lease = pool.Rent())
        {
            firstId = lease.Connection.Id;
            lease.Connection.Take(BufferBytes / 2).Fill(0xAB);
        }

        using BufferPool.Lease again = pool.Rent();

        Assert.Equal(firstId, again.Connection.Id);
        Assert.Equal(0, again.Connection.WrittenBytes);
        Assert.Equal(-1, again.Connection.Contents.IndexOfAnyExcept((byte)0));
    }

    [Fact]
    public async Task AHighPriorityOperation_OvertakesQueuedLowOnes_WhichKeepTheirOrder()
    {
        await using var pool = new BufferPool(maxBuffers: 1, BufferBytes);
        BufferPool.Lease held = await pool.RentAsync();
        var served = new List<string>();
        var operations = new List<Task>();
        foreach ((string name, PoolPriority priority) in new[] { ("low 1", PoolPriority.Low), ("low 2", PoolPriority.Low), ("low 3", PoolPriority.Low), ("high", PoolPriority.High) })
        {
            operations.Add(Use(pool, name, priority, served));
            await Eventually.True(() => pool.Stats.Pending == operations.Count);
        }

        held.Dispose();
        await Task.WhenAll(operations).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["high", "low 1", "low 2", "low 3"], served);
        Assert.Equal(0, pool.Stats.Leased);
    }

    [Fact]
    public async Task RentsQueuedFromManyThreadsAtOnce_AreServedHighestPriorityFirst()
    {
        await using var pool = new BufferPool(maxBuffers: 1, BufferBytes);
        BufferPool.Lease held = await pool.RentAsync();
        var served = new List<string>();
        PoolPriority[] priorities = [PoolPriority.Low, PoolPriority.Critical, PoolPriority.Normal, PoolPriority.High];

        // Started from the thread pool all at once, so they join in no particular order; all within the 2 s aging step.
        Task[] operations = Enumerable.Range(0, 40)
            .Select(i => Task.Run(() => Use(pool, priorities[i % priorities.Length].ToString(), priorities[i % priorities.Length], served)))
            .ToArray();
        await Eventually.True(() => pool.Stats.Pending == 40);
        held.Dispose();
        await Task.WhenAll(operations).WaitAsync(TimeSpan.FromSeconds(10));

        string[] expected = [.. Enumerable.Repeat("Critical", 10), .. Enumerable.Repeat("High", 10), .. Enumerable.Repeat("Normal", 10), .. Enumerable.Repeat("Low", 10)];
        Assert.Equal(expected, served);
        Assert.Equal((40L, 0), (pool.Stats.Waits, pool.Stats.Leased));
    }

    [Fact]
    public async Task DisposingThePool_ReleasesEveryBuffer()
    {
        var pool = new BufferPool(maxBuffers: 4, BufferBytes);
        BufferPool.Lease[] leases = [await pool.RentAsync(), await pool.RentAsync(), await pool.RentAsync()];
        leases[0].Dispose();
        Assert.Equal(3, pool.LiveBuffers);

        Task disposing = pool.DisposeAsync().AsTask();
        leases[1].Dispose();
        leases[2].Dispose();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((0, 3), (pool.LiveBuffers, pool.AllocatedBuffers));
    }

    // Each served operation records itself and hands its buffer on when it ends, so the list is in the order served.
    private static async Task Use(BufferPool pool, string name, PoolPriority priority, List<string> served)
    {
        await using BufferPool.Lease lease = await pool.RentAsync(priority);
        lock (served)
        {
            served.Add(name);
        }
    }
}
