using System.Diagnostics.Metrics;

namespace PoolGen.Tests.Fakes;

/// <summary>
/// A meter factory of a test's own: its meters carry it as their scope, so a listener that filters on the scope sees
/// only the pools of its test, however many other tests run at the same time.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(meter => meter.Dispose());
            _meters.Clear();
        }
    }
}
