using System;
using System.Diagnostics;
using System.Threading;

namespace PoolGen;

/// <summary>
/// What a multi-host pool knows about one endpoint right now: its role, whether it is online, its leases in flight and
/// its recent latency and failure rate. Balancers read it to choose; the pool alone changes it.
/// </summary>
public sealed class EndpointState
{
    // Exponential moving averages: each new sample weighs a tenth, so about the last twenty samples count.
    private const double Smoothing = 0.1;

    // The mark of a lease that must be ended but whose latency is not measured; a measured one's mark is its timestamp.
    private const long Unmeasured = -1;

    private readonly bool _countsInFlight;
    private readonly bool _measuresLatency;

    private int _inFlight;
    private long _failures;
    private long _latencyBits;
    private long _failureRateBits;

    internal EndpointState(PoolEndpoint endpoint, int index, BalancerInputs inputs = BalancerInputs.None)
    {
        Endpoint = endpoint;
        Index = index;
        // Latency is measured per lease, so whoever wants it gets leases in flight counted as well.
        _countsInFlight = inputs != BalancerInputs.None;
        _measuresLatency = (inputs & BalancerInputs.Latency) != 0;
    }

    /// <summary>The endpoint.</summary>
    public PoolEndpoint Endpoint { get; }

    /// <summary>The endpoint's position in the pool's list of endpoints, from 0.</summary>
    public int Index { get; }

    /// <summary>The role its latest successful check found; <see cref="EndpointRole.Unknown"/> before the first.</summary>
    public EndpointRole Role { get; internal set; }

    /// <summary>Whether rents may be routed here: its latest check succeeded and no rent has failed on it since.</summary>
    public bool IsOnline { get; internal set; }

    /// <summary>
    /// Leases of the multi-host pool held on this endpoint now, counted only when the pool's balancer reads it
    /// (<see cref="BalancerInputs.InFlight"/>); else 0. <see cref="EndpointStats.Pool"/>'s <c>Leased</c> is always counted.
    /// </summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Rents that failed here (the endpoint could not open a connection) and role checks that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The recent average time a lease on this endpoint was held, in milliseconds: how long work takes there. Measured
    /// only when the pool's balancer asks for it (<see cref="BalancerInputs.Latency"/>); 0 until then.
    /// </summary>
    public double LatencyMs => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _latencyBits));

    /// <summary>The recent share of failed rents and checks here, from 0 to 1 (a moving average).</summary>
    public double FailureRate => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _failureRateBits));

    /// <summary>When the latest check of this endpoint finished; null before the first.</summary>
    public DateTimeOffset? LastCheck { get; internal set; }

    /// <summary>When the endpoint went offline; null while it is online.</summary>
    public DateTimeOffset? OfflineSince { get; internal set; }

    /// <summary>Why the endpoint's latest check or rent failed, as "Type: message"; null when none has.</summary>
    public string? LastError { get; internal set; }

    /// <summary>Whether a check has finished, successfully or not, since the pool started.</summary>
    internal bool Checked { get; set; }

    /// <summary>When the latest check started, in the pool clock's milliseconds; checks are rate-limited by it.</summary>
    internal long LastCheckStartedMs;

    /// <summary>Whether a check's outcome has been logged, so a host that never answers is logged offline once.</summary>
    internal bool LastCheckLogged { get; set; }

    /// <summary>The monitor that checks this endpoint, which a lease tells about errors (<c>Invalidate</c>).</summary>
    internal EndpointMonitor? Monitor { get; set; }

    /// <summary>1 while a check runs: one check at a time, so a hanging host costs one connect timeout, not many.</summary>
    internal int Checking;

    /// <summary>The endpoint with its role and state, for messages: <c>db2:5433 (standby, online)</c>.</summary>
    public override string ToString() => $"{Endpoint} ({Describe()})";

    internal string Describe()
    {
        string role = Role switch
        {
            EndpointRole.Primary => "primary",
            EndpointRole.Standby => "standby",
            _ => Checked ? "role unknown" : "not checked yet",
        };
        if (IsOnline)
        {
            return $"{role}, online";
        }

        return !Checked ? role : $"{role}, offline since {OfflineSince:HH:mm:ss.fff}{(LastError is null ? "" : $", last error {LastError}")}";
    }

    /// <summary>
    /// Starts what a lease here ends on return: its count in flight and the clock of its latency, when the balancer
    /// reads them. Returns the mark the lease keeps for <see cref="EndLease"/>; 0 when there is nothing to end.
    /// </summary>
    /// <param name="quota">The quota the lease holds, or null.</param>
    internal long Lend(WorkloadQuota? quota)
    {
        if (!_countsInFlight)
        {
            return quota is null ? 0 : Unmeasured;
        }

        Leased();
        if (!_measuresLatency)
        {
            return Unmeasured;
        }

        RecordOutcome(failed: false);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Ends what <see cref="Lend"/> started, once per lease: the quota given back, the count, the latency.</summary>
    /// <param name="quota">The quota the lease held, or null.</param>
    /// <param name="mark">What <see cref="Lend"/> returned; nonzero.</param>
    internal void EndLease(WorkloadQuota? quota, long mark)
    {
        quota?.Exit();
        if (_countsInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            if (mark != Unmeasured)
            {
                RecordLatency(Stopwatch.GetElapsedTime(mark).TotalMilliseconds);
            }
        }
    }

    internal void Leased() => Interlocked.Increment(ref _inFlight);

    internal void RecordLatency(double milliseconds) => Blend(ref _latencyBits, milliseconds, seedWithFirst: true);

    internal void RecordOutcome(bool failed)
    {
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }

        Blend(ref _failureRateBits, failed ? 1 : 0, seedWithFirst: false);
    }

    // A lock-free moving average: a lost race only drops one sample, never corrupts the value. A latency starts at its
    // first sample (starting at 0 would make a new endpoint look fast); a failure rate starts at 0 (one failure is not
    // a failure rate of 1).
    private static void Blend(ref long bits, double sample, bool seedWithFirst)
    {
        long seen = Interlocked.Read(ref bits);
        double current = BitConverter.Int64BitsToDouble(seen);
        double next = seedWithFirst && seen == 0 ? sample : current + (Smoothing * (sample - current));
        Interlocked.CompareExchange(ref bits, BitConverter.DoubleToInt64Bits(next), seen);
    }
}
