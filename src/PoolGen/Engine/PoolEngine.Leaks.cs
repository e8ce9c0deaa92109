using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Leak detection; null when LeakThresholdMs is 0, so a pool that does not track leaks carries nothing for it.</summary>
    private readonly LeakTracker<TConnection, TLease, TPolicy>? _leaks;

    /// <summary>A rent with leak detection on: the call site is taken first, while the caller's frames are on the stack.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TLease RentTracked(int timeoutMs, PoolPriority priority = PoolPriority.Normal)
    {
        StackTrace site = LeakTracker<TConnection, TLease, TPolicy>.CaptureRentSite();
        TLease lease = Rent(timeoutMs, priority);
        Track(lease, site);
        return lease;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TLease> RentTrackedAsync(int timeoutMs, CancellationToken cancellationToken, PoolPriority priority = PoolPriority.Normal)
    {
        StackTrace site = LeakTracker<TConnection, TLease, TPolicy>.CaptureRentSite();
        ValueTask<TLease> rent = RentAsync(timeoutMs, cancellationToken, priority);
        if (rent.IsCompletedSuccessfully)
        {
            TLease lease = rent.Result;
            Track(lease, site);
            return new ValueTask<TLease>(lease);
        }

        return TrackedAsync(rent, site);
    }

    private async ValueTask<TLease> TrackedAsync(ValueTask<TLease> rent, StackTrace site)
    {
        TLease lease = await rent.ConfigureAwait(false);
        Track(lease, site);
        return lease;
    }

    /// <summary>Notes when and where a lease was rented, so that maintenance can report it if it is held too long.</summary>
    private void Track(TLease lease, StackTrace site)
    {
        PoolHandle<TConnection, TLease, TPolicy> handle = lease.Handle;
        if (handle.Slot is { } slot)
        {
            _leaks!.Track(slot, handle.Token, NowMs(), site);
        }
    }

    /// <summary>Counts the tracked leases held longer than the leak threshold right now, and the longest hold.</summary>
    private int CountLeasesHeldTooLong(out long longestMs)
    {
        longestMs = 0;
        return _leaks?.CountHeldTooLong(_table.Slots, NowMs(), out longestMs) ?? 0;
    }
}
