using System;
using System.Threading;

namespace PoolGen.ResourcePools.Compute;

/// <summary>
/// A permission to run one CPU-heavy job: the <see cref="ComputeSlots"/> pool's "connection". It holds nothing but
/// its number; what it bounds is how many jobs run at once.
/// </summary>
public sealed class ComputeSlot
{
    private int _holders;
    private long _jobs;

    /// <summary>Creates slot number <paramref name="id"/>.</summary>
    public ComputeSlot(int id) => Id = id;

    /// <summary>Which slot this is, from 1.</summary>
    public int Id { get; }

    /// <summary>Jobs that have run in this slot.</summary>
    public long Jobs => Volatile.Read(ref _jobs);

    /// <summary>
    /// Runs <paramref name="job"/> in this slot. Throws if another job is running in it at the same time, which a
    /// pool must never allow: the sample and its tests rely on it to prove the bound.
    /// </summary>
    public T Run<T>(Func<T> job)
    {
        if (Interlocked.Increment(ref _holders) != 1)
        {
            throw new InvalidOperationException($"Compute slot {Id} is running two jobs at once.");
        }

        try
        {
            Interlocked.Increment(ref _jobs);
            return job();
        }
        finally
        {
            Interlocked.Decrement(ref _holders);
        }
    }
}
