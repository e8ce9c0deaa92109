using System;

namespace PoolGen;

/// <summary>
/// Admission to the waiter queue under overload: the queue's bound (MaxPendingRents) and load shedding (ShedLoad), which
/// refuse a rent at once instead of letting it wait out a deadline it cannot meet, and the record of hand-overs that
/// shedding's estimate is made from.
/// </summary>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>How fast the queue moves lately, for load shedding.</summary>
    private readonly LoadShedder _shedder = new();

    /// <summary>
    /// Why the pool refuses a rent about to wait, or null when it queues it: the queue is full, or the recent rate of
    /// hand-overs says it would not be served before its deadline; locked.
    /// </summary>
    private PoolOverloadedException? RefuseLocked(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        int pending = _queue.Count;
        if (Options.MaxPendingRents != 0 && pending >= Options.MaxPendingRents)
        {
            return new PoolOverloadedException(Name, _table.Max, _table.Reserved, pending, Options.MaxPendingRents);
        }

        if (!Options.ShedLoad)
        {
            return null;
        }

        long nowMs = PreciseNowMs();
        if (_shedder.CannotMeet(waiter.AheadAtJoin, nowMs, waiter.DeadlineMs, out double perRentMs, out double expectedMs))
        {
            return new PoolOverloadedException(
                Name,
                _table.Max,
                _table.Reserved,
                pending,
                waiter.AheadAtJoin,
                TimeSpan.FromMilliseconds(perRentMs),
                TimeSpan.FromMilliseconds(expectedMs),
                TimeSpan.FromMilliseconds(Math.Max(0, waiter.DeadlineMs - nowMs)));
        }

        return null;
    }

    /// <summary>A waiter got its connection: its wait, against its place in the queue, tells load shedding how fast the queue moves.</summary>
    private void RecordHandOff(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        long nowMs = PreciseNowMs();
        _shedder.RecordServed(nowMs - waiter.StartMs, waiter.HandOffsAtJoin, nowMs);
        _load.AddWait(nowMs, nowMs - waiter.StartMs);
    }
}
