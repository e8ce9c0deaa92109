using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PoolGen.Tests.Fakes;

/// <summary>
/// A <see cref="MeterListener"/> on the meters of one <see cref="TestMeterFactory"/>: it keeps every histogram
/// measurement and reads the observable instruments on demand, with their tags.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Point> _recorded = new();
    private ConcurrentQueue<Point> _observed = new();

    public MetricRecorder(TestMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                Instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every instrument published on the factory's meters, by name.</summary>
    public ConcurrentDictionary<string, Instrument> Instruments { get; } = new();

    /// <summary>The histogram values recorded for <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<double> Recorded(string name) =>
        _recorded.Where(p => p.Instrument == name).Select(p => p.Value).ToList();

    /// <summary>The tags of every measurement recorded for <paramref name="name"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> RecordedTags(string name) =>
        _recorded.Where(p => p.Instrument == name).Select(p => p.Tags).ToList();

    /// <summary>Reads every observable instrument now; returns the measurements of <paramref name="name"/>.</summary>
    public IReadOnlyList<(double Value, IReadOnlyDictionary<string, object?> Tags)> Observe(string name)
    {
        _observed = new ConcurrentQueue<Point>();
        _listener.RecordObservableInstruments();
        return _observed.Where(p => p.Instrument == name).Select(p => (p.Value, p.Tags)).ToList();
    }

    /// <summary>The one observed value of <paramref name="name"/> whose tags include <paramref name="tag"/> = <paramref name="value"/>, or the only one.</summary>
    public double ObserveOne(string name, string? tag = null, string? value = null) =>
        Observe(name).Single(m => tag is null || Equals(m.Tags[tag], value)).Value;

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var point = new Point(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
        (instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal) ? _observed : _recorded).Enqueue(point);
    }

    private sealed record Point(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
