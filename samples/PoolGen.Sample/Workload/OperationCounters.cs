using System.Threading;

namespace PoolGen.Sample.Workload;

/// <summary>Operations completed so far, updated by every worker and read by the live printer.</summary>
internal sealed class OperationCounters
{
    private long _reads;
    private long _writes;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    public long Total => Reads + Writes;

    public void AddRead() => Interlocked.Increment(ref _reads);

    public void AddWrite() => Interlocked.Increment(ref _writes);
}
