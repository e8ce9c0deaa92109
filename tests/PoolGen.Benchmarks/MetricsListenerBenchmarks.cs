using System.Diagnostics.Metrics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace PoolGen.Benchmarks;

/// <summary>
/// The hot path with and without a metrics listener, in one run: one pool nobody listens to; one whose every
/// <c>PoolGen</c> instrument a <see cref="MeterListener"/> has enabled, so each rent records its wait and each return
/// its use time; and one with every instrument but <c>db.client.connection.use_time</c>, as an application that drops
/// it with an OpenTelemetry view would have. The listener's callbacks only add the value up, the least any real
/// exporter does.
/// </summary>
[MemoryDiagnoser]
public class MetricsListenerBenchmarks
{
    private const int Operations = RentReturnBenchmarks.Operations;

    private readonly ListenedMeterFactory _factory = new();
    private readonly ListenedMeterFactory _withoutUseTime = new();
    private MeterListener _listener = null!;
    private FakeConnectionPool _quiet = null!;
    private ListenedConnectionPool _listened = null!;
    private ListenedConnectionPool _listenedWithoutUseTime = null!;
    private double _sum;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == _factory
                    || (instrument.Meter.Scope == _withoutUseTime && instrument.Name != "db.client.connection.use_time"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _sum += value);
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _sum += value);
        _listener.Start();
        _quiet = new FakeConnectionPool();
        _listened = new ListenedConnectionPool(_factory);
        _listenedWithoutUseTime = new ListenedConnectionPool(_withoutUseTime);
        _quiet.Rent().Dispose();
        _listened.Rent().Dispose();
        _listenedWithoutUseTime.Rent().Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _quiet.Dispose();
        _listened.Dispose();
        _listenedWithoutUseTime.Dispose();
        _listener.Dispose();
        _factory.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Rent + Dispose, no listener")]
    public void SyncQuiet()
    {
        for (int i = 0; i < Operations; i++)
        {
            using FakeConnectionPool.Lease lease = _quiet.Rent();
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Rent + Dispose, MeterListener on")]
    public void SyncListened()
    {
        for (int i = 0; i < Operations; i++)
        {
            using ListenedConnectionPool.Lease lease = _listened.Rent();
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Rent + Dispose, MeterListener on, use_time dropped")]
    public void SyncListenedWithoutUseTime()
    {
        for (int i = 0; i < Operations; i++)
        {
            using ListenedConnectionPool.Lease lease = _listenedWithoutUseTime.Rent();
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "await RentAsync + DisposeAsync, no listener")]
    public async Task AsyncQuiet()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using FakeConnectionPool.Lease lease = await _quiet.RentAsync();
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "await RentAsync + DisposeAsync, MeterListener on")]
    public async Task AsyncListened()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using ListenedConnectionPool.Lease lease = await _listened.RentAsync();
            _ = lease.Connection;
        }
    }

    /// <summary>Gives the listened pool meters of their own, so the listener enables its instruments and no other pool's.</summary>
    private sealed class ListenedMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, scope: this);

        public void Dispose()
        {
        }
    }
}

/// <summary><see cref="FakeConnectionPool"/>'s twin, with its meters from a factory the benchmark listens to.</summary>
[ConnectionPool(Max = 4, Validate = nameof(IsAlive))]
public sealed partial class ListenedConnectionPool(IMeterFactory meters)
{
    partial void ConfigurePool(PoolOptions options) => options.MeterFactory = meters;

    private static FakeConnection Create() => new();

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;
}
