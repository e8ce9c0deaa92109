using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// The pool's load, sampled once a second from the first connection on: the numbers behind <see cref="PoolLoad"/> and
/// the advice in the health report, and the auto-sizer's input when AutoSize is on.
/// </summary>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private readonly LoadSampler _load = new();

    /// <summary>The auto-sizer; null unless AutoSize is on.</summary>
    private AutoSizer? _autoSizer;

    private ITimer? _loadTimer;

    /// <summary>The connections the auto-sizer keeps open, or 0; refills and pruning keep at least this many.</summary>
    private int _autoTarget;

    /// <summary>The fewest connections maintenance keeps open: Min, or the auto-sizer's target when that is higher.</summary>
    private int KeepOpen => Math.Max(_table.Min, Volatile.Read(ref _autoTarget));

    /// <summary>The load the pool has carried recently; null until it has been sampled for a second.</summary>
    public PoolLoad? GetLoad() => _load.Summarise(Math.Max(0, _table.Reserved - _table.Opening), _table.Max);

    /// <summary>Starts sampling with the pool's first connection: a pool never used costs nothing.</summary>
    private void EnsureLoadSampling() =>
        StartTimer(ref _loadTimer, static engine => engine.SampleLoad(), TimeSpan.FromMilliseconds(LoadSampler.IntervalMs));

    private void StopLoadSampling() => Interlocked.Exchange(ref _loadTimer, null)?.Dispose();

    /// <summary>Records one look at the pool, and lets the auto-sizer act on it.</summary>
    private void SampleLoad()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        SlotCounts slots = _table.Count();
        int leased = slots.Leased;
        int pending = _queue.Count;
        long nowMs = PreciseNowMs();
        _load.Add(new LoadSampler.Sample(nowMs, slots.Rents, _counters.Waits, leased, slots.Open, pending));
        if (_autoSizer is { } sizer)
        {
            SizeTo(sizer.Next(leased + pending, _table.Min, _table.Max, nowMs));
        }

        void SizeTo(int target)
        {
            Volatile.Write(ref _autoTarget, target);
            if (_table.Reserved < target)
            {
                RefillToMin();
            }
            else
            {
                CloseIdleAbove(target);
            }
        }
    }

    /// <summary>
    /// After the auto-sizer lowered its target: closes idle connections above it, at most half of the excess per
    /// second and the highest slots first (the coldest), so the pool comes down gradually.
    /// </summary>
    private void CloseIdleAbove(int target)
    {
        int budget = (_table.Reserved - target + 1) / 2;
        PoolSlot<TConnection, TLease, TPolicy>[] slots = _table.Slots;
        for (int i = slots.Length - 1; i >= 0 && budget > 0 && _table.Reserved > target; i--)
        {
            if (slots[i].State == SlotState.Idle && _table.TryTakeForEngine(slots[i], out int token))
            {
                Retire(slots[i], token, SlotState.Busy, CloseReason.Idle);
                budget--;
            }
        }
    }
}
