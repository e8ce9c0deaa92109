using System.Diagnostics.Metrics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

/// <summary>A real MeterListener on <c>poolgen.workload.rents</c> of one meter factory, summing what it measures.</summary>
public sealed class WorkloadRentCounter : IDisposable
{
    private readonly MeterListener _listener;
    private long _counted;

    public WorkloadRentCounter(TestMeterFactory factory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "poolgen.workload.rents")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _counted += value);
        _listener.Start();
    }

    /// <summary>Rents counted so far; measurements arrive on the renting thread, so a test reads it after its rents.</summary>
    public long Counted => _counted;

    public void Dispose() => _listener.Dispose();
}
