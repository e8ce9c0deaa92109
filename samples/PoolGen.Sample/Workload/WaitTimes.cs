using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace PoolGen.Sample.Workload;

/// <summary>
/// The pool's own <c>db.client.connection.wait_time</c> histogram, read with a <see cref="MeterListener"/>: how long
/// each rent took to get its connection, as the pool measures it. The sample needs no timing code of its own.
/// </summary>
internal sealed class WaitTimes : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<double> _arrived = new();
    private readonly List<double> _all = new();
    private List<double> _latest = new();

    /// <summary>
    /// Starts listening to the wait times of the pool named <paramref name="pool"/>, and of its endpoints' pools
    /// (<c>pool@endpoint</c>) when it is a multi-host pool: those are where its rents wait.
    /// </summary>
    public WaitTimes(string pool)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "PoolGen" && instrument.Name == "db.client.connection.wait_time")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "db.client.connection.pool.name" && tag.Value is string name
                    && (name == pool || name.StartsWith(pool + "@", StringComparison.Ordinal)))
                {
                    _arrived.Enqueue(seconds);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Moves the waits recorded since the last call into the latest interval and the whole run.</summary>
    public void Collect()
    {
        var latest = new List<double>();
        while (_arrived.TryDequeue(out double seconds))
        {
            latest.Add(seconds);
        }

        latest.Sort();
        _latest = latest;
        _all.AddRange(latest);
    }

    /// <summary>The percentile of the waits in the latest interval, in milliseconds.</summary>
    public double LatestMs(double percent) => Percentile(_latest, percent);

    /// <summary>The percentile of every wait of the run, in milliseconds; sorts them, so call it at the end.</summary>
    public double RunMs(double percent)
    {
        _all.Sort();
        return Percentile(_all, percent);
    }

    /// <summary>Rents measured over the run.</summary>
    public int Count => _all.Count;

    public void Dispose() => _listener.Dispose();

    private static double Percentile(List<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        int index = (int)Math.Ceiling(percent / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)] * 1000;
    }
}
