using System;

namespace PoolGen;

/// <summary>
/// The load a pool has carried recently, sampled once a second over a sliding window (up to ten minutes): how fast
/// rents come, how long leases are held, how many connections that takes, how busy the connections were, and how long
/// rents waited. The numbers behind <see cref="PoolHealth.Advice"/>.
/// </summary>
/// <param name="Window">The time the samples cover; zero until the pool has run for a second.</param>
/// <param name="RentsPerSecond">Rents served per second over the window.</param>
/// <param name="MeanHold">
/// How long a lease is held on average, by Little's law: the mean number of leased connections divided by the rent rate.
/// </param>
/// <param name="MeanDemand">Connections wanted on average: leased ones plus rents waiting.</param>
/// <param name="PeakDemand">The most connections wanted at one sample: leased plus waiting.</param>
/// <param name="Utilisation">The share of open connections' time spent leased, 0 to 1.</param>
/// <param name="WaitP99">The 99th percentile of the time rents took to get a connection (most rents wait for nothing).</param>
/// <param name="WaitedShare">The share of rents that had to wait, 0 to 1.</param>
/// <param name="Open">Open connections now.</param>
/// <param name="Max">The pool's Max now.</param>
public sealed record PoolLoad(
    TimeSpan Window,
    double RentsPerSecond,
    TimeSpan MeanHold,
    double MeanDemand,
    int PeakDemand,
    double Utilisation,
    TimeSpan WaitP99,
    double WaitedShare,
    int Open,
    int Max)
{
    /// <summary>
    /// The connections the load needs, by Little's law (rent rate × mean hold, plus the rents that waited on
    /// average), rounded up.
    /// </summary>
    public int NeededConnections => (int)Math.Ceiling(MeanDemand - 1e-9);
}
