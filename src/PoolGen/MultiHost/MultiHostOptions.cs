using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// The settings of a <see cref="MultiHostPool{TConnection, TLease}"/>: its endpoints, how it learns their roles, how it
/// routes workloads and balances between endpoints, and how often it rechecks them. Times are in milliseconds. Each
/// endpoint's own pool keeps its own settings (Min, Max, validation…) from its <c>[ConnectionPool]</c> class.
/// </summary>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
public sealed class MultiHostOptions<TConnection>
    where TConnection : class
{
    private readonly Dictionary<Workload, TargetRole> _routes = new()
    {
        [Workload.ReadWrite] = TargetRole.Primary,
        [Workload.ReadOnly] = TargetRole.PreferStandby,
        [Workload.Analytics] = TargetRole.PreferStandby,
        [Workload.Maintenance] = TargetRole.Primary,
        [Workload.HighPriority] = TargetRole.Primary,
    };

    /// <summary>Creates options for a pool named <paramref name="name"/> over <paramref name="endpoints"/>.</summary>
    /// <param name="name">The name used in exceptions, stats and health.</param>
    /// <param name="endpoints">The servers, at least one and at most 64; see <see cref="PoolEndpoint.ParseList"/>.</param>
    public MultiHostOptions(string name, IEnumerable<PoolEndpoint> endpoints)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(endpoints);
        Name = name;
        Endpoints = [.. endpoints];
    }

    /// <summary>
    /// The options of a generated multi-host pool, from its <see cref="PoolOptions"/>: the same name, endpoints,
    /// acquire timeout, clock and logger, and the class's role check. The generated code calls it and then hands the
    /// result to the class's <c>ConfigureHosts</c> hook, where balancing, routes and quotas are set.
    /// </summary>
    /// <param name="options">The pool's settings after the attribute, outside configuration and <c>ConfigurePool</c>.</param>
    /// <param name="roleCheck">The method the attribute's <c>RoleCheck</c> names.</param>
    public static MultiHostOptions<TConnection> For(
        PoolOptions options, Func<TConnection, PoolEndpoint, CancellationToken, ValueTask<EndpointRole>> roleCheck)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(roleCheck);
        return new MultiHostOptions<TConnection>(options.Name, options.Endpoints ?? [])
        {
            IsGenerated = true,
            RoleCheck = roleCheck,
            AcquireTimeoutMs = options.AcquireTimeoutMs,
            TimeProvider = options.TimeProvider,
            MeterFactory = options.MeterFactory,
            Logger = options.Logger ?? options.LoggerFactory?.CreateLogger(PoolSettings.LoggerCategoryPrefix + options.Name),
        };
    }

    /// <summary>The pool's name, used in every exception message and in stats and health.</summary>
    public string Name { get; set; }

    /// <summary>
    /// Made by <see cref="For"/> for a generated pool, which is created on its first use (a rent, or its disposal): a bad
    /// setting then makes the pool unusable, every rent saying why, rather than throwing from a Dispose.
    /// </summary>
    internal bool IsGenerated { get; private init; }

    /// <summary>The servers, in the order messages and stats list them.</summary>
    public IReadOnlyList<PoolEndpoint> Endpoints { get; set; }

    /// <summary>
    /// Tells an endpoint's role from one of its connections; required. For PostgreSQL, <c>SELECT pg_is_in_recovery()</c>:
    /// true means <see cref="EndpointRole.Standby"/>, false <see cref="EndpointRole.Primary"/>. It runs in the background,
    /// on a connection rented from the endpoint's pool, bounded by <see cref="CheckTimeoutMs"/>; an exception it throws
    /// takes the endpoint offline until a later check succeeds.
    /// </summary>
    public Func<TConnection, PoolEndpoint, CancellationToken, ValueTask<EndpointRole>>? RoleCheck { get; set; }

    /// <summary>How rents choose among the endpoints a workload may use. Default <see cref="RoundRobinBalancer"/>.</summary>
    public IEndpointBalancer Balancer { get; set; } = new RoundRobinBalancer();

    /// <summary>The workload of rents that name none (<c>Rent()</c>, <c>RentAsync(ct)</c>). Default <see cref="Workload.ReadWrite"/>, which works on every pool.</summary>
    public Workload DefaultWorkload { get; set; } = Workload.ReadWrite;

    /// <summary>A rent's deadline when it names none, waits for a quota and opens included. Default 30,000; 0: only what can be served at once.</summary>
    public int AcquireTimeoutMs { get; set; } = 30_000;

    /// <summary>
    /// How long a role check may take, opening a connection included, before the endpoint counts as offline; also the
    /// most a rent spends on one endpoint before trying another when there is another. Default 5,000.
    /// </summary>
    public int CheckTimeoutMs { get; set; } = 5_000;

    /// <summary>How often every endpoint's role and reachability are checked again in the background. Default 10,000 (Npgsql's <c>Host Recheck Seconds</c> is 10).</summary>
    public int RecheckIntervalMs { get; set; } = 10_000;

    /// <summary>
    /// After an error (a failed open, an invalidated lease, a rent that found no endpoint of its role), endpoints are
    /// rechecked at once, but each at most once per this many milliseconds, so a failover is noticed within about this
    /// long and a burst of failures does not become a burst of checks. Default 500.
    /// </summary>
    public int FailureRecheckMs { get; set; } = 500;

    /// <summary>
    /// The most leases each workload may hold at once, as a percentage of the sum of the endpoints' Max (for example
    /// <c>QuotaPercent[Workload.Analytics] = 25</c>). A rent over its quota waits, within its deadline, for a lease of
    /// the same workload to come back. A workload with no entry has no quota.
    /// </summary>
    public IDictionary<Workload, int> QuotaPercent { get; } = new Dictionary<Workload, int>();

    /// <summary>
    /// Where the pool logs endpoints going offline, coming online and changing role (event ids 100–102). Default none.
    /// Each endpoint's own pool logs through its own <see cref="PoolOptions.Logger"/>.
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// Where the pool creates its <c>PoolGen</c> meter for the whole pool's instruments (endpoints online, rents and
    /// failures by workload, quota use); each endpoint pool's own instruments use its <see cref="PoolOptions.MeterFactory"/>.
    /// Default none: the pool creates its own meter.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>The clock and timers the pool uses. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Routes <paramref name="workload"/> to the endpoints <paramref name="target"/> allows.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="target">Which endpoints it may use; <see cref="TargetRole.Standby"/> makes it strict (no fall-back to the primary).</param>
    /// <returns>These options, to chain calls.</returns>
    public MultiHostOptions<TConnection> Route(Workload workload, TargetRole target)
    {
        _routes[workload] = target;
        return this;
    }

    /// <summary>Where <paramref name="workload"/> is routed now.</summary>
    /// <param name="workload">The workload.</param>
    public TargetRole RouteOf(Workload workload) => _routes.TryGetValue(workload, out TargetRole target) ? target : TargetRole.Primary;

    /// <summary>
    /// Checks every value and throws an <see cref="ArgumentException"/> that names the pool, the setting and what is
    /// accepted.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A multi-host pool needs a non-empty Name.", nameof(Name));
        }

        if (IsGenerated && Endpoints is not { Count: > 0 })
        {
            throw new ArgumentException(
                $"Pool '{Name}' is a multi-host pool (its factory takes a PoolEndpoint), but it was given no endpoints. Set " +
                "PoolOptions.Endpoints in ConfigurePool (options.Endpoints = [.. PoolEndpoint.ParseList(\"db1:5432,db2:5432\")]) or " +
                $"bind it from configuration as a list of \"host:port\" strings (key Endpoints in the section of pool '{Name}').",
                nameof(Endpoints));
        }

        if (Endpoints is null || Endpoints.Count is 0 or > 64)
        {
            throw new ArgumentException(
                $"Multi-host pool '{Name}' has {Endpoints?.Count ?? 0} endpoints; it needs between 1 and 64.", nameof(Endpoints));
        }

        if (RoleCheck is null)
        {
            throw new ArgumentException(
                $"Multi-host pool '{Name}' has no RoleCheck: set one that tells a primary from a standby (for PostgreSQL, " +
                "'SELECT pg_is_in_recovery()': true is a standby).", nameof(RoleCheck));
        }

        ArgumentNullException.ThrowIfNull(Balancer, nameof(Balancer));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        AtLeast(nameof(AcquireTimeoutMs), AcquireTimeoutMs, 0);
        AtLeast(nameof(CheckTimeoutMs), CheckTimeoutMs, 1);
        AtLeast(nameof(RecheckIntervalMs), RecheckIntervalMs, 1);
        AtLeast(nameof(FailureRecheckMs), FailureRecheckMs, 0);
        foreach ((Workload workload, int percent) in QuotaPercent)
        {
            if (percent is < 1 or > 100)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(QuotaPercent), percent,
                    $"Multi-host pool '{Name}': the quota of {workload} is {percent} %; it must be between 1 and 100 (remove the entry for no quota).");
            }
        }
    }

    private void AtLeast(string setting, int value, int minimum)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(
                setting, value, $"Multi-host pool '{Name}': {setting} is {value}; it must be {minimum} or more.");
        }
    }
}
