using System.Threading;

namespace PoolGen.Sample.Workload;

/// <summary>Operations completed so far, and refused by an overloaded pool, by priority; updated by every worker, read by the live view.</summary>
internal sealed class OperationCounters
{
    private const int Priorities = (int)PoolPriority.Critical + 1;

    private readonly long[] _served = new long[Priorities];
    private readonly long[] _refused = new long[Priorities];
    private long _reads;
    private long _writes;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public long Total => Reads + Writes;

    /// <summary>Operations of <paramref name="priority"/> that got a connection and completed.</summary>
    public long Served(PoolPriority priority) => Interlocked.Read(ref _served[(int)priority]);

    /// <summary>Operations of <paramref name="priority"/> whose rent the pool refused or timed out.</summary>
    public long Refused(PoolPriority priority) => Interlocked.Read(ref _refused[(int)priority]);

    public void AddRead(PoolPriority priority)
    {
        Interlocked.Increment(ref _reads);
        Interlocked.Increment(ref _served[(int)priority]);
    }

    public void AddWrite(PoolPriority priority)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Increment(ref _served[(int)priority]);
    }

    public void AddRefused(PoolPriority priority) => Interlocked.Increment(ref _refused[(int)priority]);
}
