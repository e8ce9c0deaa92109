using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// What recent waits say about how fast the pool serves its queue, and whether a rent about to wait can be served
/// before its deadline. Each rent that waited and got a connection gives a sample: its wait divided by the connections
/// handed to waiting rents while it waited, itself included (the time between two hand-overs). A new rent with
/// <c>n</c> rents ahead of it would then wait about <c>(n + 1)</c> times the smoothed sample.
/// </summary>
/// <remarks>
/// Counting hand-overs rather than the rents ahead at joining keeps the estimate true with priorities: a low-priority
/// rent overtaken by later high-priority ones waited for more hand-overs than it had rents ahead.
/// Samples come only from real waits, so time the pool spends unsaturated does not dilute them, and a rent reaches
/// this question only when nothing is idle and there is no room to open. The estimate is trusted only with enough
/// recent samples: a pool that has not waited for a while, or has barely started, refuses nothing.
/// </remarks>
internal sealed class LoadShedder
{
    /// <summary>The weight of a new sample in the smoothed time per rent: about the last eight waits count.</summary>
    private const double Smoothing = 1.0 / 8;

    /// <summary>Samples needed before the estimate refuses anything.</summary>
    public const int MinimumSamples = 8;

    /// <summary>How old the latest sample may be for the estimate to be trusted.</summary>
    public const int FreshForMs = 10_000;

    private readonly object _lock = new();
    private double _perRentMs;
    private int _samples;
    private long _latestMs;
    private long _handOffs;

    /// <summary>Connections handed to waiting rents so far; a waiter notes it when it joins.</summary>
    public long HandOffs => Interlocked.Read(ref _handOffs);

    /// <summary>
    /// Records a rent that waited <paramref name="waitedMs"/> and got its connection; <paramref name="handOffsAtJoin"/>
    /// is <see cref="HandOffs"/> when it joined.
    /// </summary>
    public void RecordServed(long waitedMs, long handOffsAtJoin, long nowMs)
    {
        long handOffs = Interlocked.Increment(ref _handOffs) - handOffsAtJoin;
        double sample = (double)Math.Max(0, waitedMs) / Math.Max(1, handOffs);
        lock (_lock)
        {
            // After a quiet spell the old samples say nothing of the pool now: the estimate starts over, and must earn
            // its MinimumSamples again before it refuses anything.
            if (_samples > 0 && nowMs - _latestMs > FreshForMs)
            {
                _samples = 0;
            }

            _perRentMs = _samples == 0 ? sample : _perRentMs + (Smoothing * (sample - _perRentMs));
            _samples = Math.Min(_samples + 1, MinimumSamples);
            _latestMs = nowMs;
        }
    }

    /// <summary>
    /// Whether a rent with <paramref name="ahead"/> rents ahead of it would wait past <paramref name="deadlineMs"/>;
    /// gives the estimate behind the answer.
    /// </summary>
    public bool CannotMeet(int ahead, long nowMs, long deadlineMs, out double perRentMs, out double expectedMs)
    {
        lock (_lock)
        {
            perRentMs = _perRentMs;
            expectedMs = (ahead + 1) * _perRentMs;
            return deadlineMs != long.MaxValue
                && _samples >= MinimumSamples
                && nowMs - _latestMs <= FreshForMs
                && nowMs + expectedMs > deadlineMs;
        }
    }
}
