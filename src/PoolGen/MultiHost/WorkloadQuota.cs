using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The leases one workload may hold at once: a semaphore with one permit per lease. A rent takes a permit before it is
/// routed and its lease gives it back when returned. The semaphore is never disposed: a lease returned after the pool
/// was disposed still gives its permit back, and a semaphore whose wait handle is never asked for holds no resource.
/// </summary>
internal sealed class WorkloadQuota
{
    private readonly SemaphoreSlim _permits;

    public WorkloadQuota(Workload workload, int percent, int limit)
    {
        Workload = workload;
        Percent = percent;
        Limit = limit;
        _permits = new SemaphoreSlim(limit, limit);
    }

    public Workload Workload { get; }

    public int Percent { get; }

    public int Limit { get; }

    /// <summary>Leases of the workload held now.</summary>
    public int InUse => Limit - _permits.CurrentCount;

    /// <summary>The most leases a workload of <paramref name="percent"/> % may hold in a pool of <paramref name="totalMax"/>; at least one.</summary>
    public static int LimitFor(int totalMax, int percent) => Math.Max(1, (int)((long)totalMax * percent / 100));

    public bool TryEnter() => _permits.Wait(0);

    public bool Enter(TimeSpan timeout, CancellationToken cancellationToken) => _permits.Wait(timeout, cancellationToken);

    public Task<bool> EnterAsync(TimeSpan timeout, CancellationToken cancellationToken) => _permits.WaitAsync(timeout, cancellationToken);

    public void Exit() => _permits.Release();
}
