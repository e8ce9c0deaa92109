using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace PoolGen;

/// <summary>
/// The instruments of one pool on the <c>PoolGen</c> meter: OpenTelemetry's database connection pool conventions
/// (<c>db.client.connection.*</c>) and PoolGen's own (<c>poolgen.*</c>), each tagged with the pool's name.
/// </summary>
/// <remarks>
/// <para>
/// Counts and gauges are observable: they read <see cref="IPoolReadings"/> when a listener collects, so they cost
/// nothing before then. Histograms are recorded where their event happens, and only while a listener has enabled them
/// (<see cref="Instrument.Enabled"/>); the engine checks that before it reads a clock.
/// </para>
/// <para>
/// A meter from the application's <see cref="IMeterFactory"/> belongs to the factory, which may share it between pools,
/// so disposing the pool only detaches its readings; a meter the pool created itself is disposed with it.
/// </para>
/// </remarks>
internal sealed class PoolMetrics : IDisposable
{
    /// <summary>The name of the meter, of the activity source and of the metrics' common prefix owner.</summary>
    public const string MeterName = "PoolGen";

    /// <summary>The attribute that names the pool on every measurement.</summary>
    public const string PoolNameTag = "db.client.connection.pool.name";

    private static readonly string? s_version = typeof(PoolMetrics).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _poolTag;
    private readonly KeyValuePair<string, object?>[] _poolTags;
    private readonly KeyValuePair<string, object?>[] _idleTags;
    private readonly KeyValuePair<string, object?>[] _usedTags;
    private readonly KeyValuePair<string, object?>[][] _closeTags;

    /// <summary>
    /// The pool, held weakly until it is disposed, and not at all after: a meter lives in a process-wide list until it is
    /// disposed, so a strong reference from its instruments would keep a pool its owner forgot to dispose alive forever.
    /// </summary>
    private volatile WeakReference<IPoolReadings>? _pool;

    public PoolMetrics(string poolName, IPoolReadings pool, IMeterFactory? meterFactory)
    {
        _pool = new WeakReference<IPoolReadings>(pool);
        _poolTag = new(PoolNameTag, poolName);
        _poolTags = [_poolTag];
        _idleTags = [_poolTag, new("db.client.connection.state", "idle")];
        _usedTags = [_poolTag, new("db.client.connection.state", "used")];
        _closeTags = new KeyValuePair<string, object?>[CloseReasons.Count][];
        for (int i = 0; i < _closeTags.Length; i++)
        {
            _closeTags[i] = [_poolTag, new("poolgen.close.reason", CloseReasons.Tag((CloseReason)i))];
        }

        MeterOptions options = NewMeterOptions();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);

        _meter.CreateObservableUpDownCounter("db.client.connection.count", ObserveCount, "{connection}",
            "The number of connections that are currently in the state described by the state attribute.");
        _meter.CreateObservableUpDownCounter("db.client.connection.idle.max", () => Observe(p => p.Max), "{connection}",
            "The maximum number of idle open connections allowed.");
        _meter.CreateObservableUpDownCounter("db.client.connection.idle.min", () => Observe(p => p.Min), "{connection}",
            "The minimum number of idle open connections allowed.");
        _meter.CreateObservableUpDownCounter("db.client.connection.max", () => Observe(p => p.Max), "{connection}",
            "The maximum number of open connections allowed.");
        _meter.CreateObservableUpDownCounter("db.client.connection.pending_requests", () => Observe(p => p.Pending), "{request}",
            "The number of current pending requests for an open connection.");
        _meter.CreateObservableCounter("db.client.connection.timeouts", () => Observe(p => p.Counters.Timeouts), "{timeout}",
            "The number of connection timeouts that have occurred trying to obtain a connection from the pool.");
        CreateTime = _meter.CreateHistogram<double>("db.client.connection.create_time", "s",
            "The time it took to create a new connection.");
        WaitTime = _meter.CreateHistogram<double>("db.client.connection.wait_time", "s",
            "The time it took to obtain an open connection from the pool.");
        UseTime = _meter.CreateHistogram<double>("db.client.connection.use_time", "s",
            "The time between borrowing a connection and returning it to the pool.");

        _meter.CreateObservableCounter("poolgen.connection.rents", () => Observe(p => p.Rents), "{rent}",
            "Rents served by the pool.");
        _meter.CreateObservableCounter("poolgen.connection.waits", () => Observe(p => p.Counters.Waits), "{rent}",
            "Rents that had to wait for a connection to be returned or opened.");
        _meter.CreateObservableCounter("poolgen.connection.shed", () => Observe(p => p.Counters.Shed), "{rent}",
            "Rents refused at once because the pool was overloaded (MaxPendingRents or ShedLoad).");
        _meter.CreateObservableCounter("poolgen.connection.creates", () => Observe(p => p.Counters.Created), "{connection}",
            "Connections opened by the pool.");
        _meter.CreateObservableCounter("poolgen.connection.create_failures", () => Observe(p => p.Counters.CreateFailures), "{failure}",
            "Attempts to open a connection that failed.");
        _meter.CreateObservableCounter("poolgen.connection.closes", ObserveCloses, "{connection}",
            "Connections closed by the pool, by the reason in poolgen.close.reason.");
        _meter.CreateObservableCounter("poolgen.connection.validation_failures", () => Observe(p => p.Counters.ValidationFailures), "{validation}",
            "Validations that found a connection unusable, threw or timed out.");
        _meter.CreateObservableCounter("poolgen.lease.leaks_suspected", () => Observe(p => p.Counters.LeaksSuspected), "{lease}",
            "Leases held longer than LeakThresholdMs.");
        _meter.CreateObservableCounter("poolgen.user_code.errors", () => Observe(p => p.Counters.UserCodeErrors), "{error}",
            "Exceptions thrown by the pool's Validate, Reset, Close, IsBroken or OnStats code.");
        Lifetime = _meter.CreateHistogram<double>("poolgen.connection.lifetime", "s",
            "How long a connection was open, recorded when the pool closes it.");
    }

    /// <summary>
    /// The options of every meter PoolGen creates: the same name and version, so that exporters see one instrumentation
    /// scope whichever part of the pool reports.
    /// </summary>
    public static MeterOptions NewMeterOptions() => new(MeterName) { Version = s_version };

    /// <summary><c>db.client.connection.create_time</c>: one physical open that succeeded.</summary>
    public Histogram<double> CreateTime { get; }

    /// <summary><c>db.client.connection.wait_time</c>: from the start of a rent to its lease.</summary>
    public Histogram<double> WaitTime { get; }

    /// <summary><c>db.client.connection.use_time</c>: from a lease to its return.</summary>
    public Histogram<double> UseTime { get; }

    /// <summary><c>poolgen.connection.lifetime</c>: from an open to its close.</summary>
    public Histogram<double> Lifetime { get; }

    /// <summary>Records <paramref name="seconds"/> in <paramref name="histogram"/>, tagged with the pool's name.</summary>
    public void Record(Histogram<double> histogram, double seconds) => histogram.Record(seconds, _poolTag);

    /// <summary>Stops reporting: the observable instruments report nothing more, and a meter the pool created is disposed.</summary>
    public void Dispose()
    {
        _pool = null;
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private IPoolReadings? Pool => _pool is { } reference && reference.TryGetTarget(out IPoolReadings? pool) ? pool : null;

    private IEnumerable<Measurement<long>> Observe(Func<IPoolReadings, long> read) =>
        Pool is { } pool ? [new Measurement<long>(read(pool), _poolTags)] : [];

    private IEnumerable<Measurement<long>> ObserveCount()
    {
        if (Pool is not { } pool)
        {
            return [];
        }

        pool.CountConnections(out int idle, out int used);
        return [new Measurement<long>(idle, _idleTags), new Measurement<long>(used, _usedTags)];
    }

    private IEnumerable<Measurement<long>> ObserveCloses()
    {
        if (Pool is not { } pool)
        {
            return [];
        }

        var measurements = new Measurement<long>[CloseReasons.Count];
        for (int i = 0; i < measurements.Length; i++)
        {
            measurements[i] = new Measurement<long>(pool.Counters.ClosedFor((CloseReason)i), _closeTags[i]);
        }

        return measurements;
    }
}
