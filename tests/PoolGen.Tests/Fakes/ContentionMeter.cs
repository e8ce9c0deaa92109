namespace PoolGen.Tests.Fakes;

/// <summary>
/// Counts what the pool allocates on the workers' threads: each call into it (RentAsync up to the point where it
/// waits, and the DisposeAsync that hands the connection to the next waiter and queues its continuation) runs on
/// one thread, so that thread's counter sees exactly the pool's allocations, and nothing of the test host's or
/// the thread pool's own bookkeeping on other threads. Shared with the benchmarks' allocation gate.
/// </summary>
public sealed class ContentionMeter
{
    /// <summary>1 while allocations are counted.</summary>
    public int Measuring;

    /// <summary>Set to 1 to make the workers stop.</summary>
    public int Stop;

    /// <summary>The bytes counted so far.</summary>
    public long Bytes;

    /// <summary>Adds what one call into the pool allocated, while measuring.</summary>
    public void Add(long bytes)
    {
        if (bytes != 0 && System.Threading.Volatile.Read(ref Measuring) != 0)
        {
            System.Threading.Interlocked.Add(ref Bytes, bytes);
        }
    }
}
