using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PoolGen;

/// <summary>
/// What a multi-host pool reports for the whole pool on the <c>PoolGen</c> meter, beside each endpoint pool's own
/// instruments (named <c>pool@endpoint</c>): endpoints online by role, rents by workload and endpoint, rents the router
/// failed by workload and error, and each quota's use. Every measurement carries the multi-host pool's name.
/// </summary>
/// <remarks>
/// The endpoint states and quotas are small objects that do not reference the pool, so the meter, which lives in a
/// process-wide list until disposed, never keeps a pool alive. A rent pays one check of the counter's
/// <see cref="Instrument.Enabled"/> when nobody listens, and tags from arrays made up front when someone does.
/// </remarks>
internal sealed class MultiHostMetrics : IDisposable
{
    /// <summary>The endpoint attribute: the endpoint's display form, <c>db2:5432</c> or its name.</summary>
    public const string EndpointTag = "poolgen.endpoint";

    private static readonly string[] WorkloadNames = Array.ConvertAll(Enum.GetValues<Workload>(), w => w.ToString());

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _poolTag;
    private readonly EndpointState[] _endpoints;
    private readonly string[] _endpointLabels;
    private readonly Counter<long> _rents;
    private readonly Counter<long> _failures;

    /// <summary>Per workload, per endpoint: the tags of a rent, made once.</summary>
    private readonly KeyValuePair<string, object?>[][][] _rentTags;

    private WorkloadQuota?[]? _quotas;
    private volatile bool _detached;

    public MultiHostMetrics(string poolName, EndpointState[] endpoints, IMeterFactory? meterFactory)
    {
        _poolTag = new(PoolMetrics.PoolNameTag, poolName);
        _endpoints = endpoints;
        _endpointLabels = Array.ConvertAll(endpoints, e => e.Endpoint.ToString());
        Workload[] workloads = Enum.GetValues<Workload>();
        _rentTags = new KeyValuePair<string, object?>[workloads.Length][][];
        foreach (Workload workload in workloads)
        {
            _rentTags[(int)workload] = Array.ConvertAll(
                _endpointLabels, label => new KeyValuePair<string, object?>[] { _poolTag, WorkloadTag(workload), new(EndpointTag, label) });
        }

        MeterOptions options = PoolMetrics.NewMeterOptions();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        _meter.CreateObservableUpDownCounter("poolgen.endpoint.online", ObserveOnline, "{endpoint}",
            "Whether each endpoint of a multi-host pool is in rotation (1) or not (0), with its role in poolgen.endpoint.role.");
        _meter.CreateObservableUpDownCounter("poolgen.workload.quota.used", ObserveQuotas, "{connection}",
            "Connections held by each workload that has a quota.");
        _rents = _meter.CreateCounter<long>("poolgen.workload.rents", "{rent}",
            "Rents a multi-host pool routed, by workload and by the endpoint that served them.");
        _failures = _meter.CreateCounter<long>("poolgen.workload.failures", "{rent}",
            "Rents a multi-host pool could not serve, by workload and error.type (no endpoint online, quota full, timeout).");
    }

    /// <summary>Counts a rent of <paramref name="workload"/> served by <paramref name="endpoint"/>; nothing when nobody listens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rented(Workload workload, EndpointState endpoint)
    {
        if (_rents.Enabled)
        {
            CountRent(workload, endpoint);
        }
    }

    // Apart, so that the check above is all a rent inlines.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CountRent(Workload workload, EndpointState endpoint) => _rents.Add(1, _rentTags[(int)workload][endpoint.Index]);

    /// <summary>Counts a rent of <paramref name="workload"/> that failed with <paramref name="error"/>.</summary>
    public void Failed(Workload workload, Exception error)
    {
        if (_failures.Enabled)
        {
            _failures.Add(1, _poolTag, WorkloadTag(workload), new("error.type", error.GetType().FullName));
        }
    }

    /// <summary>The quotas, once the pool's first use has sized them.</summary>
    public void Sized(WorkloadQuota?[] quotas) => Volatile.Write(ref _quotas, quotas);

    /// <summary>Stops reporting; a meter the pool created is disposed.</summary>
    public void Dispose()
    {
        _detached = true;
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static KeyValuePair<string, object?> WorkloadTag(Workload workload) => new("poolgen.workload", WorkloadNames[(int)workload]);

    private IEnumerable<Measurement<long>> ObserveOnline()
    {
        if (_detached)
        {
            return [];
        }

        var measurements = new Measurement<long>[_endpoints.Length];
        for (int i = 0; i < _endpoints.Length; i++)
        {
            EndpointState endpoint = _endpoints[i];
            measurements[i] = new Measurement<long>(
                endpoint.IsOnline ? 1 : 0,
                _poolTag,
                new(EndpointTag, _endpointLabels[i]),
                new("poolgen.endpoint.role", endpoint.Role.ToString().ToLowerInvariant()));
        }

        return measurements;
    }

    private IEnumerable<Measurement<long>> ObserveQuotas()
    {
        if (_detached || Volatile.Read(ref _quotas) is not { } quotas)
        {
            return [];
        }

        var measurements = new List<Measurement<long>>();
        foreach (WorkloadQuota? quota in quotas)
        {
            if (quota is not null)
            {
                measurements.Add(new Measurement<long>(quota.InUse, _poolTag, WorkloadTag(quota.Workload)));
            }
        }

        return measurements;
    }
}
