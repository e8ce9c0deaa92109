using System;
using System.Collections.Generic;

namespace PoolGen;

/// <summary>
/// The pool's recent load: once a second the engine records its counters and gauges here, and every rent that waited
/// records its wait. <see cref="Summarise"/> turns the last ten minutes of it into a <see cref="PoolLoad"/>. Nothing
/// here runs on a rent served at once.
/// </summary>
internal sealed class LoadSampler
{
    /// <summary>How often the engine samples.</summary>
    public const int IntervalMs = 1_000;

    /// <summary>Samples kept: ten minutes at one a second, plus the one the window starts from.</summary>
    private const int Capacity = 601;

    /// <summary>Waits kept for the percentile: enough for a busy minute of waits, bounded whatever the load.</summary>
    private const int WaitCapacity = 4_096;

    private readonly object _lock = new();
    private readonly Sample[] _samples = new Sample[Capacity];
    private readonly (long AtMs, long WaitedMs)[] _waits = new (long, long)[WaitCapacity];
    private int _sampleCount;
    private int _nextSample;
    private int _waitCount;
    private int _nextWait;

    /// <summary>One look at the pool.</summary>
    public readonly record struct Sample(long AtMs, long Rents, long Waits, int Leased, int Open, int Pending);

    /// <summary>Records a look at the pool.</summary>
    public void Add(Sample sample)
    {
        lock (_lock)
        {
            _samples[_nextSample] = sample;
            _nextSample = (_nextSample + 1) % Capacity;
            _sampleCount = Math.Min(_sampleCount + 1, Capacity);
        }
    }

    /// <summary>Records a rent that waited <paramref name="waitedMs"/> for its connection.</summary>
    public void AddWait(long nowMs, long waitedMs)
    {
        lock (_lock)
        {
            _waits[_nextWait] = (nowMs, Math.Max(0, waitedMs));
            _nextWait = (_nextWait + 1) % WaitCapacity;
            _waitCount = Math.Min(_waitCount + 1, WaitCapacity);
        }
    }

    /// <summary>The load over the samples kept; null until there are two.</summary>
    public PoolLoad? Summarise(int open, int max)
    {
        lock (_lock)
        {
            if (_sampleCount < 2)
            {
                return null;
            }

            Sample first = At(0), last = At(_sampleCount - 1);
            double seconds = (last.AtMs - first.AtMs) / 1000.0;
            long rents = last.Rents - first.Rents;
            double leased = 0, demand = 0, opened = 0;
            int peak = 0;

            // The first sample only marks where the window starts: the others each stand for the second before them.
            for (int i = 1; i < _sampleCount; i++)
            {
                Sample sample = At(i);
                leased += sample.Leased;
                demand += sample.Leased + sample.Pending;
                opened += sample.Open;
                peak = Math.Max(peak, sample.Leased + sample.Pending);
            }

            int counted = _sampleCount - 1;
            double rate = seconds > 0 ? rents / seconds : 0;
            double meanLeased = leased / counted;
            return new PoolLoad(
                TimeSpan.FromSeconds(seconds),
                rate,
                TimeSpan.FromSeconds(rate > 0 ? meanLeased / rate : 0),
                demand / counted,
                peak,
                opened > 0 ? leased / opened : 0,
                WaitPercentile(0.99, first.AtMs, rents),
                rents > 0 ? Math.Min(1, (double)(last.Waits - first.Waits) / rents) : 0,
                open,
                max);
        }
    }

    private Sample At(int index) => _samples[(_nextSample - _sampleCount + index + Capacity) % Capacity];

    /// <summary>
    /// The percentile of all rents' waits since <paramref name="sinceMs"/>: the <paramref name="rents"/> that did not
    /// wait count as waits of 0.
    /// </summary>
    private TimeSpan WaitPercentile(double percentile, long sinceMs, long rents)
    {
        var waited = new List<long>();
        for (int i = 0; i < _waitCount; i++)
        {
            (long atMs, long waitedMs) = _waits[(_nextWait - _waitCount + i + WaitCapacity) % WaitCapacity];
            if (atMs >= sinceMs)
            {
                waited.Add(waitedMs);
            }
        }

        long total = Math.Max(rents, waited.Count);
        long rank = (long)Math.Ceiling(percentile * total);
        long zeros = total - waited.Count;
        if (rank <= zeros)
        {
            return TimeSpan.Zero;
        }

        waited.Sort();
        return TimeSpan.FromMilliseconds(waited[(int)(rank - zeros - 1)]);
    }
}
