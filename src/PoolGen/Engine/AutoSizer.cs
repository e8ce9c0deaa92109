using System;

namespace PoolGen;

/// <summary>
/// How many connections a pool with AutoSize keeps open ahead of demand, between Min and Max. Each second it is told the
/// demand (leased connections plus waiting rents) and answers a target: it grows at once when a smoothed view of demand,
/// with headroom, passes the target, and shrinks only after that view has stayed well below the target for a minute.
/// </summary>
/// <remarks>
/// The two speeds and the gap between them are what keep it from thrashing: a burst is met within a few seconds, a
/// lull does not close connections that the next burst would reopen, and a steady load settles on one target.
/// </remarks>
internal sealed class AutoSizer
{
    /// <summary>The weight of each second's demand in the smoothed view: a step is mostly seen within five seconds.</summary>
    public const double Smoothing = 0.3;

    /// <summary>Connections kept beyond the smoothed demand, as a factor of it.</summary>
    public const double Headroom = 1.25;

    /// <summary>The share of the target the wanted size must stay under before the target comes down.</summary>
    public const double ShrinkBelow = 0.75;

    /// <summary>How long the wanted size must stay that low before the target comes down.</summary>
    public const int ShrinkAfterMs = 60_000;

    private double _demand = double.NaN;
    private int _target;
    private long _lowSinceMs = long.MaxValue;

    /// <summary>The current target; 0 before the first sample.</summary>
    public int Target => _target;

    /// <summary>Takes one second's demand and returns the target: the connections to keep open.</summary>
    /// <param name="demand">Leased connections plus rents waiting, now.</param>
    /// <param name="min">The pool's Min.</param>
    /// <param name="max">The pool's Max.</param>
    /// <param name="nowMs">The engine's clock.</param>
    public int Next(int demand, int min, int max, long nowMs)
    {
        _demand = double.IsNaN(_demand) ? demand : _demand + (Smoothing * (demand - _demand));

        // Rents waiting now are demand the smoothing must not hide: they are met at once.
        // Less a hair: the smoothed view only approaches a steady demand, and 4.0000001 connections must not round to 6.
        int wanted = Math.Clamp((int)Math.Ceiling(Math.Max((_demand * Headroom) - 0.001, demand)), min, max);
        if (wanted >= _target)
        {
            _target = wanted;
            _lowSinceMs = long.MaxValue;
        }
        else if (wanted < _target * ShrinkBelow)
        {
            _lowSinceMs = Math.Min(_lowSinceMs, nowMs);
            if (nowMs - _lowSinceMs >= ShrinkAfterMs)
            {
                _target = wanted;
                _lowSinceMs = long.MaxValue;
            }
        }
        else
        {
            _lowSinceMs = long.MaxValue;
        }

        _target = Math.Clamp(_target, min, max);
        return _target;
    }
}
