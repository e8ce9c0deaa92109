using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// A pool over several servers, a primary and standbys: one PoolGen pool per endpoint (each from the
/// <c>[ConnectionPool]</c> class you give it), and a router that sends each rent to an endpoint its workload may use.
/// Writes go to the primary, reads prefer standbys; endpoints leave rotation when they fail and come back when they
/// answer; a failover is followed without a restart.
/// </summary>
/// <remarks>
/// <para>
/// Composition, not a different engine: each endpoint's pool is an ordinary generated pool, so its hot path, its
/// validation, lifetime and health are exactly a single-server pool's. The router adds a table read, a balancer call
/// and two counters to a rent.
/// </para>
/// <code>
/// [ConnectionPool(Max = 20, Validate = nameof(IsAliveAsync))]
/// public sealed partial class OrdersEndpointDb(string connectionString, PoolEndpoint endpoint)
/// {
///     private ValueTask&lt;NpgsqlConnection&gt; CreateAsync(CancellationToken ct) => ...  // connect to endpoint.Host:endpoint.Port
///     partial void ConfigurePool(PoolOptions options) => options.Name = $"orders@{endpoint}";
/// }
///
/// var orders = new MultiHostPool&lt;NpgsqlConnection, OrdersEndpointDb.Lease&gt;(
///     new MultiHostOptions&lt;NpgsqlConnection&gt;("orders", PoolEndpoint.ParseList("db1:5432,db2:5432"))
///     {
///         RoleCheck = async (connection, endpoint, ct) => ... "SELECT pg_is_in_recovery()" ...,
///     },
///     endpoint => new OrdersEndpointDb(connectionString, endpoint));
///
/// await using var lease = await orders.RentAsync(Workload.ReadOnly, ct);
/// </code>
/// </remarks>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The lease type of the endpoint pools (the generated <c>Lease</c> struct).</typeparam>
public sealed partial class MultiHostPool<TConnection, TLease> :
    IConnectionPool<TConnection, MultiHostLease<TConnection, TLease>>,
    IDisposable,
    IAsyncDisposable
    where TConnection : class
    where TLease : struct, IConnectionLease<TConnection>
{
    private const int WorkloadCount = RouteSpread.Workloads;

    private readonly IConnectionPool<TConnection, TLease>[] _pools;
    private readonly EndpointState[] _endpoints;
    private readonly EndpointMonitor _monitor;
    private readonly MultiHostMetrics _metrics;
    private readonly IEndpointBalancer _balancer;
    private readonly TargetRole[] _routes;
    private readonly Dictionary<Workload, int> _quotaPercent;
    private readonly Func<TConnection, PoolEndpoint, CancellationToken, ValueTask<EndpointRole>> _roleCheck;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultTimeout;
    private readonly int _checkTimeoutMs;
    private readonly int _recheckIntervalMs;
    private readonly Workload _defaultWorkload;
    private readonly object _quotaLock = new();

    /// <summary>Per workload, the endpoint engine a rent takes from at once, whose link passes the turn on; none takes the slow path.</summary>
    private RouteSpread _spread;

    /// <summary>The endpoint engines, when the pool has fast routes: a generated class's, round-robin, no leak tracking; else null.</summary>
    private readonly IEndpointEngine[]? _engines;

    /// <summary>Per workload, its quota, or null for none; null as a whole until the pool's first use sizes them.</summary>
    private WorkloadQuota?[]? _quotas;

    private int _disposed;

    /// <summary>Rents the role checks made on the endpoint pools: they are not the users', so the whole pool's stats leave them out.</summary>
    private long _checkRents;

    /// <summary>Why a generated pool's options were rejected; such a pool refuses every rent with this as the cause.</summary>
    private readonly ArgumentException? _configurationError;

    /// <summary>Creates the pool and one pool per endpoint; nothing is opened or checked until the first use.</summary>
    /// <param name="options">The settings; checked here. Later changes to them do not reach the pool.</param>
    /// <param name="createPool">
    /// Creates the pool of one endpoint, typically <c>endpoint =&gt; new MyEndpointDb(connectionString, endpoint)</c>
    /// for a <c>[ConnectionPool]</c> class whose factory connects to that endpoint. Each endpoint gets its own.
    /// </param>
    /// <exception cref="ArgumentException">An option is out of range; the message names the pool and the setting.</exception>
    public MultiHostPool(MultiHostOptions<TConnection> options, Func<PoolEndpoint, IConnectionPool<TConnection, TLease>> createPool)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createPool);
        Name = options.Name;
        try
        {
            options.Validate();
        }
        catch (ArgumentException error) when (options.IsGenerated)
        {
            // A generated pool is created on its first use, which may be its Dispose: a bad setting must not throw from
            // there. The pool is created with no endpoints, disposed, and every rent says what is wrong.
            _configurationError = error;
            _disposed = 1;
            options = new MultiHostOptions<TConnection>(Name, []) { RoleCheck = options.RoleCheck ?? NoRoleCheck };
        }

        _balancer = options.Balancer;
        _roleCheck = options.RoleCheck!;
        _time = options.TimeProvider;
        _defaultTimeout = TimeSpan.FromMilliseconds(options.AcquireTimeoutMs);
        _checkTimeoutMs = options.CheckTimeoutMs;
        _recheckIntervalMs = options.RecheckIntervalMs;
        _defaultWorkload = options.DefaultWorkload;
        _quotaPercent = new Dictionary<Workload, int>(options.QuotaPercent);
        _routes = new TargetRole[WorkloadCount];
        foreach (Workload workload in Enum.GetValues<Workload>())
        {
            _routes[(int)workload] = options.RouteOf(workload);
        }

        PoolEndpoint[] endpoints = [.. options.Endpoints];
        _endpoints = new EndpointState[endpoints.Length];
        _pools = new IConnectionPool<TConnection, TLease>[endpoints.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            _endpoints[i] = new EndpointState(endpoints[i], i, options.Balancer.Inputs);
            _pools[i] = createPool(endpoints[i]) ??
                throw new ArgumentException($"Multi-host pool '{Name}': the pool factory returned null for {endpoints[i]}.", nameof(createPool));
        }

        _metrics = new MultiHostMetrics(Name, _endpoints, options.MeterFactory);
        IEndpointEngine[] engines = new IEndpointEngine[_pools.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            if (_pools[i] is IEndpointEngine engine)
            {
                engine.Attach(_endpoints[i], _metrics);
                engines[i] = engine;
            }
        }

        // Fast routes take turns, so only round-robin routing has them. A pool composed by hand has none (only a
        // generated class's rents read them), nor do engines that track leaks.
        bool fastRoutes = _balancer is RoundRobinBalancer && _pools.Length > 0
            && Array.TrueForAll(engines, e => e is { ServesFastRoutes: true });
        _engines = fastRoutes ? engines : null;

        _monitor = new EndpointMonitor(
            Name, options.Logger, _endpoints, ProbeAsync, e => _pools[e.Index].Clear(), Spread, _time,
            options.CheckTimeoutMs, options.RecheckIntervalMs, options.FailureRecheckMs);
        foreach (EndpointState endpoint in _endpoints)
        {
            endpoint.Monitor = _monitor; // so a lease reaches the monitor through its endpoint, one field fewer per lease
        }
    }

    /// <summary>The pool's name, from <see cref="MultiHostOptions{TConnection}.Name"/>.</summary>
    public string Name { get; }

    /// <summary>
    /// Why the options of a generated pool were rejected (no endpoints, say), or null: such a pool refuses every rent
    /// with this as the cause. A pool created directly throws from its constructor instead.
    /// </summary>
    public Exception? ConfigurationError => _configurationError;

    /// <summary>The workload of a rent that names none, from <see cref="MultiHostOptions{TConnection}.DefaultWorkload"/>.</summary>
    public Workload DefaultWorkload => _defaultWorkload;

    /// <summary>The endpoints, in the order of the options.</summary>
    public IReadOnlyList<PoolEndpoint> Endpoints => _endpoints.Select(e => e.Endpoint).ToArray();

    /// <summary>The pool of one endpoint, for what the multi-host pool does not offer (its own stats, health, resize).</summary>
    /// <param name="endpoint">One of <see cref="Endpoints"/>.</param>
    /// <exception cref="ArgumentException">The endpoint is not one of this pool's.</exception>
    public IConnectionPool<TConnection, TLease> PoolOf(PoolEndpoint endpoint) => _pools[IndexOf(endpoint)];

    /// <summary>What the pool knows about one endpoint now: role, online, in-flight leases, latency.</summary>
    /// <param name="endpoint">One of <see cref="Endpoints"/>.</param>
    /// <exception cref="ArgumentException">The endpoint is not one of this pool's.</exception>
    public EndpointState StateOf(PoolEndpoint endpoint)
    {
        EnsureStarted();
        return _endpoints[IndexOf(endpoint)];
    }

    /// <summary>Opens every endpoint's minimum of connections and checks every endpoint's role; failures are left to health.</summary>
    /// <param name="cancellationToken">Cancels the warm-up.</param>
    public async ValueTask WarmUpAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        await _monitor.CheckAllAsync(cancellationToken).ConfigureAwait(false);
        var warmUps = new List<Task>();
        foreach (EndpointState endpoint in _endpoints)
        {
            if (endpoint.IsOnline)
            {
                warmUps.Add(_pools[endpoint.Index].WarmUpAsync(cancellationToken).AsTask());
            }
        }

        try
        {
            await Task.WhenAll(warmUps).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // An endpoint that fails to warm up is reported by its health and the next check, not by the warm-up.
        }
    }

    /// <summary>Closes the idle connections of every endpoint now and the leased ones when they come back.</summary>
    public void Clear()
    {
        foreach (IConnectionPool<TConnection, TLease> pool in _pools)
        {
            pool.Clear();
        }
    }

    /// <summary>Sets every endpoint pool's minimum and maximum: the sizes are per endpoint. Quotas keep the limits they were given at first use.</summary>
    /// <param name="min">Connections each endpoint keeps open even when idle.</param>
    /// <param name="max">Upper bound on each endpoint's open connections.</param>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of range.</exception>
    public void Resize(int min, int max)
    {
        foreach (IConnectionPool<TConnection, TLease> pool in _pools)
        {
            pool.Resize(min, max);
        }
    }

    /// <summary>
    /// The fast routes of a generated multi-host pool: per workload, the engine whose turn it is, or none when the rent
    /// must take the slow path (<see cref="Rent(Workload)"/>): the workload has a quota, the balancer is not round-robin,
    /// no endpoint can serve it, or the pool has not started. Read and passed on by
    /// <see cref="PoolEngine{TConnection, TLease, TPolicy}.TryRentRouted"/>.
    /// </summary>
    internal ref RouteSpread Routes => ref _spread;

    /// <summary>
    /// Relinks the fast routes from a new route table; the monitor calls it under its lock on every change. A workload
    /// with a quota is not linked: its rents take the slow path, which counts them against it.
    /// </summary>
    private void Spread(RouteTable table)
    {
        if (_engines is not { } engines)
        {
            return;
        }

        // Locked against ClearRoutes too, so a table published while the pool is disposed cannot relink after it.
        lock (engines)
        {
            bool open = Volatile.Read(ref _disposed) == 0;
            foreach (Workload workload in Enum.GetValues<Workload>())
            {
                bool fast = open && !_quotaPercent.ContainsKey(workload);
                _spread.Link(workload, fast ? table.Candidates(_routes[(int)workload]) : default, engines);
            }
        }
    }

    /// <summary>Takes the fast routes away, so every rent reaches the slow path and its check for disposal.</summary>
    private void ClearRoutes()
    {
        if (_engines is { } engines)
        {
            lock (engines)
            {
                _spread.Clear(engines);
            }
        }
    }

    /// <summary>Stops the checks and closes every endpoint's pool: rents fail from now on.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ClearRoutes();
        _monitor.Dispose();
        _metrics.Dispose();
        foreach (IConnectionPool<TConnection, TLease> pool in _pools)
        {
            pool.Dispose();
        }
    }

    /// <summary>Stops the checks and closes every endpoint's pool gracefully, each giving its leases its shutdown timeout to come back.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ClearRoutes();
        await _monitor.StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
        await Task.WhenAll(_pools.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private int IndexOf(PoolEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        for (int i = 0; i < _endpoints.Length; i++)
        {
            if (_endpoints[i].Endpoint == endpoint)
            {
                return i;
            }
        }

        throw new ArgumentException(
            $"{endpoint} is not an endpoint of multi-host pool '{Name}' (its endpoints: {string.Join(", ", _endpoints.Select(e => e.Endpoint))}).",
            nameof(endpoint));
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw _configurationError is { } error
                ? new InvalidOperationException($"Multi-host pool '{Name}' cannot be used: its options are invalid. {error.Message}", error)
                : new ObjectDisposedException(Name, $"Multi-host pool '{Name}' has been disposed; it serves no more rents.");
        }
    }

    private static ValueTask<EndpointRole> NoRoleCheck(TConnection connection, PoolEndpoint endpoint, CancellationToken cancellationToken) =>
        new(EndpointRole.Unknown);

    // A role check on a connection of the endpoint's own pool: the check's connect is the pool's, bounded by the token.
    // It never queues behind or ahead of rents: an idle connection, or a new one when the pool has room; a pool that is
    // full and busy gets no check this time (it works: it is serving leases), and errors on those leases still reach
    // the monitor through failed opens and Invalidate.
    private async ValueTask<EndpointRole?> ProbeAsync(EndpointState endpoint, CancellationToken cancellationToken)
    {
        IConnectionPool<TConnection, TLease> pool = _pools[endpoint.Index];
        TLease lease;
        if (!pool.TryRent(out lease))
        {
            PoolStats stats = pool.Stats;
            if (stats.Pending > 0 || stats.Total + stats.Opening >= stats.Max)
            {
                return null;
            }

            try
            {
                lease = await pool.RentAsync(TimeSpan.FromMilliseconds(_checkTimeoutMs), cancellationToken).ConfigureAwait(false);
            }
            catch (PoolTimeoutException busy) when (!busy.OpenInProgress && busy.LastCreationError is null)
            {
                return null; // the room was taken meanwhile and nothing came back: busy, which says the server works
            }
        }

        Interlocked.Increment(ref _checkRents);

        try
        {
            return await _roleCheck(lease.Connection, endpoint.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lease.Invalidate(); // a connection whose check failed is not lent again
            throw;
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
