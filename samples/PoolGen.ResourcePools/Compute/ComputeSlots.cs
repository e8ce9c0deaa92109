using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.ResourcePools.Compute;

/// <summary>
/// Admits CPU-heavy (or disk-heavy) work by priority: at most <c>Max</c> jobs run at once, one per slot, by default
/// one per processor. Jobs beyond that wait, highest priority first. When too many wait, the pool refuses more at
/// once with <see cref="PoolOverloadedException"/>: beyond <c>MaxPendingRents</c>, and, with <c>ShedLoad</c>, when
/// the recent pace of the queue shows a job could not start before its deadline. A refused job costs its caller
/// nothing but the exception, which is the point: it can answer "busy, try later" now rather than after its timeout.
/// </summary>
/// <remarks>
/// Slots are never closed for being idle (<c>IdleTimeoutMs = 0</c>) or old (<c>MaxLifetimeMs = 0</c>): a slot costs
/// nothing to keep, and maintenance has nothing to do (<c>HealthCheckIntervalMs = 0</c>).
/// </remarks>
[ConnectionPool(AcquireTimeoutMs = 5_000, IdleTimeoutMs = 0, MaxLifetimeMs = 0, HealthCheckIntervalMs = 0,
    PriorityAgingMs = 500, MaxPendingRents = 64, ShedLoad = true)]
public sealed partial class ComputeSlots
{
    private readonly int _degree;
    private readonly int _maxPendingJobs;
    private readonly bool _shedLoad;
    private int _created;

    /// <summary>
    /// Creates a pool that runs at most <paramref name="degree"/> jobs at once (default: one per processor), lets at
    /// most <paramref name="maxPendingJobs"/> wait, and, with <paramref name="shedLoad"/>, refuses a job whose
    /// deadline the queue cannot meet.
    /// </summary>
    public ComputeSlots(int? degree = null, int maxPendingJobs = 64, bool shedLoad = true)
    {
        _degree = degree ?? Environment.ProcessorCount;
        _maxPendingJobs = maxPendingJobs;
        _shedLoad = shedLoad;
    }

    /// <summary>How many jobs may run at once.</summary>
    public int Degree => _degree;

    /// <summary>Slots the pool has made; never more than <see cref="Degree"/>.</summary>
    public int SlotsCreated => Volatile.Read(ref _created);

    partial void ConfigurePool(PoolOptions options)
    {
        options.Max = _degree;
        options.MaxPendingRents = _maxPendingJobs;
        options.ShedLoad = _shedLoad;
    }

    /// <summary>
    /// Runs <paramref name="job"/> on the thread pool once a slot is free, holding the slot until it ends. Throws
    /// <see cref="PoolOverloadedException"/> at once when the pool refuses the job, and
    /// <see cref="PoolTimeoutException"/> when no slot came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> job, PoolPriority priority, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await using Lease lease = await RentAsync(timeout, priority, cancellationToken);

        // The job runs on the thread pool, not on the caller's thread: a caller that submits many jobs in a loop is not
        // held up by the first one whose slot was free at once.
        return await Task.Run(() => lease.Connection.Run(job), cancellationToken);
    }

    private ComputeSlot Create() => new(Interlocked.Increment(ref _created));
}
