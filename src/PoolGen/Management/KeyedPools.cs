using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// One pool per key (a connection string, a tenant, a shard), created on the first rent for that key and shared by
/// every rent with the same key, the way ADO.NET's own pooling keys pools by connection string. The number of pools is
/// bounded, and a pool unused for <see cref="KeyedPoolsOptions.IdleTimeoutMs"/> is evicted and disposed gracefully.
/// </summary>
/// <remarks>
/// <para>
/// Rent through the set, not through a pool taken from <see cref="GetPools"/>: the set counts its rents in flight, and a
/// pool is evicted only when no rent through the set is under way and no lease of it is out. Eviction disposes the pool
/// with <see cref="IConnectionPool.DisposeAsync"/>, which never takes a connection from a lease; a rent racing an
/// eviction gets a new pool for its key.
/// </para>
/// <para>
/// Each pool is named <c>Name[key]</c>, with a connection string's password hidden (<see cref="PoolKeys.Describe"/>), and
/// is configured through <see cref="IConfigurablePool.Configure"/> before its first use.
/// </para>
/// </remarks>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TPool">The generated pool class, one instance per key.</typeparam>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The pool's lease type (<c>TPool.Lease</c>).</typeparam>
public sealed class KeyedPools<TKey, TPool, TConnection, TLease> : IDisposable, IAsyncDisposable
    where TKey : notnull
    where TPool : class, IConfigurablePool, IConnectionPool<TConnection, TLease>
    where TConnection : class
    where TLease : struct, IConnectionLease<TConnection>
{
    private static readonly TimerCallback s_evictionTick = static state =>
    {
        var reference = (WeakReference<KeyedPools<TKey, TPool, TConnection, TLease>>)state!;
        if (reference.TryGetTarget(out KeyedPools<TKey, TPool, TConnection, TLease>? pools))
        {
            pools.EvictIdle();
        }
    };

    private readonly Func<TKey, TPool> _create;
    private readonly Action<TKey, PoolOptions>? _configure;
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly object _gate = new();
    private readonly List<Task> _closing = new();
    private readonly int _maxPools;
    private readonly int _idleTimeoutMs;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly ITimer? _timer;
    private long _created;
    private long _evicted;
    private int _disposed;

    /// <summary>Creates an empty set; pools are created by the first rent of each key.</summary>
    /// <param name="create">Creates the pool for a key, for example <c>key =&gt; new TenantDb(key)</c>: a new instance each time.</param>
    /// <param name="options">The set's settings; null for the defaults.</param>
    /// <param name="configure">Adjusts each new pool's options for its key, after the attribute and before the class's <c>ConfigurePool</c>.</param>
    /// <param name="comparer">Compares keys; null for the key type's default equality.</param>
    public KeyedPools(
        Func<TKey, TPool> create,
        KeyedPoolsOptions? options = null,
        Action<TKey, PoolOptions>? configure = null,
        IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        options ??= new KeyedPoolsOptions();
        Name = options.Name ?? typeof(TPool).Name;
        options.Validate(Name);
        _create = create;
        _configure = configure;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
        _maxPools = options.MaxPools;
        _idleTimeoutMs = options.IdleTimeoutMs;
        _time = options.TimeProvider;
        _logger = options.Logger;
        if (_idleTimeoutMs > 0)
        {
            var interval = TimeSpan.FromMilliseconds(options.EvictionIntervalMs);
            _timer = _time.CreateTimer(s_evictionTick, new WeakReference<KeyedPools<TKey, TPool, TConnection, TLease>>(this), interval, interval);
        }
    }

    /// <summary>The set's name, in exceptions and logs and at the start of each pool's name.</summary>
    public string Name { get; }

    /// <summary>How many pools the set holds now.</summary>
    public int Count => _entries.Count;

    /// <summary>How many pools the set has created.</summary>
    public long PoolsCreated => Interlocked.Read(ref _created);

    /// <summary>How many pools the set has evicted (idle, or to make room for a new key).</summary>
    public long PoolsEvicted => Interlocked.Read(ref _evicted);

    /// <summary>Rents a connection from the key's pool, creating the pool first if the key has none.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="InvalidOperationException">The key has no pool and the set is full of pools in use.</exception>
    public TLease Rent(TKey key)
    {
        Entry entry = Enter(key);
        try
        {
            return entry.Pool.Rent();
        }
        finally
        {
            entry.Exit(NowMs());
        }
    }

    /// <summary>Rents a connection from the key's pool, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    public TLease Rent(TKey key, TimeSpan timeout)
    {
        Entry entry = Enter(key);
        try
        {
            return entry.Pool.Rent(timeout);
        }
        finally
        {
            entry.Exit(NowMs());
        }
    }

    /// <summary>Rents a connection from the key's pool without blocking, creating the pool first if the key has none.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the rent.</param>
    public async ValueTask<TLease> RentAsync(TKey key, CancellationToken cancellationToken = default)
    {
        Entry entry = Enter(key);
        try
        {
            return await entry.Pool.RentAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            entry.Exit(NowMs());
        }
    }

    /// <summary>Rents a connection from the key's pool without blocking, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the rent.</param>
    public async ValueTask<TLease> RentAsync(TKey key, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Entry entry = Enter(key);
        try
        {
            return await entry.Pool.RentAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            entry.Exit(NowMs());
        }
    }

    /// <summary>Whether the key has a pool now.</summary>
    /// <param name="key">The key.</param>
    public bool Contains(TKey key) => _entries.ContainsKey(key);

    /// <summary>
    /// The pools held now, for stats and health (a <see cref="PoolRegistry"/> lists them too). Rent through the set:
    /// a rent made on a pool directly is not seen by eviction until its lease is out.
    /// </summary>
    public IReadOnlyList<IConnectionPool> GetPools()
    {
        var pools = new List<IConnectionPool>(_entries.Count);
        foreach (KeyValuePair<TKey, Entry> entry in _entries)
        {
            pools.Add(entry.Value.Pool);
        }

        return pools;
    }

    /// <summary>A stats snapshot of every pool held now.</summary>
    public IReadOnlyList<PoolStats> GetStats()
    {
        var stats = new List<PoolStats>(_entries.Count);
        foreach (KeyValuePair<TKey, Entry> entry in _entries)
        {
            stats.Add(entry.Value.Pool.Stats);
        }

        return stats;
    }

    /// <summary>
    /// Evicts every pool unused for <see cref="KeyedPoolsOptions.IdleTimeoutMs"/> (no rent under way, no lease out) now,
    /// as the set's timer does every <see cref="KeyedPoolsOptions.EvictionIntervalMs"/>.
    /// </summary>
    /// <returns>How many pools were evicted.</returns>
    public int EvictIdle()
    {
        if (_idleTimeoutMs == 0 || Volatile.Read(ref _disposed) != 0)
        {
            return 0;
        }

        int evicted = 0;
        long now = NowMs();
        foreach (KeyValuePair<TKey, Entry> pair in _entries)
        {
            if (now - Volatile.Read(ref pair.Value.LastUsedMs) >= _idleTimeoutMs && TryEvict(pair.Value, now, idleOnly: true))
            {
                evicted++;
            }
        }

        return evicted;
    }

    /// <summary>Evicts the key's pool now if no rent of it is under way and no lease of it is out, however recently it was used.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key's pool was evicted; false when it is in use or the key has none.</returns>
    public bool TryEvict(TKey key) =>
        _entries.TryGetValue(key, out Entry? entry) && TryEvict(entry, NowMs(), idleOnly: false);

    /// <summary>Disposes every pool at once (leases out are not waited for) and stops eviction; rents through the set throw from now on.</summary>
    public void Dispose()
    {
        foreach (Entry entry in BeginShutdown())
        {
            entry.Pool.Dispose();
        }
    }

    /// <summary>
    /// Disposes every pool gracefully, in parallel (each waits up to its <c>ShutdownTimeoutMs</c> for its leases), and
    /// waits for evicted pools still closing; rents through the set throw from now on.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        List<Entry> entries = BeginShutdown();
        var closing = new List<Task>(entries.Count);
        foreach (Entry entry in entries)
        {
            closing.Add(CloseAsync(entry));
        }

        lock (_gate)
        {
            closing.AddRange(_closing);
            _closing.Clear();
        }

        await Task.WhenAll(closing).ConfigureAwait(false);
    }

    private Entry Enter(TKey key)
    {
        var spin = default(SpinWait);
        while (true)
        {
            ThrowIfDisposed();
            if (!_entries.TryGetValue(key, out Entry? entry))
            {
                entry = Add(key);
            }

            if (entry.TryEnter(NowMs()))
            {
                return entry;
            }

            // An eviction is looking at this pool: in a moment it is either back, or gone and replaced on the next turn.
            spin.SpinOnce();
        }
    }

    private Entry Add(TKey key)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_entries.TryGetValue(key, out Entry? existing))
            {
                return existing;
            }

            string described = PoolKeys.Describe(key);
            if (_entries.Count >= _maxPools && !EvictForRoom())
            {
                throw new InvalidOperationException(
                    $"Keyed pools '{Name}' cannot create a pool for key '{described}': it already holds {_entries.Count} pools " +
                    $"(MaxPools is {_maxPools}) and every one of them has a rent under way or a lease out. Raise MaxPools, " +
                    "or dispose leases sooner so that pools become idle and can be evicted.");
            }

            TPool pool = _create(key) ?? throw new InvalidOperationException(
                $"Keyed pools '{Name}': the factory returned null for key '{described}'; it must return a new pool for each key.");
            try
            {
                pool.Configure(options =>
                {
                    options.Name = $"{Name}[{described}]";
                    _configure?.Invoke(key, options);
                });
            }
            catch (InvalidOperationException error)
            {
                throw new InvalidOperationException(
                    $"Keyed pools '{Name}': the factory returned a pool for key '{described}' that is already in use. It must " +
                    "return a new instance for each key, which the set configures and owns.", error);
            }

            var entry = new Entry(key, pool, $"{Name}[{described}]", NowMs());
            _entries[key] = entry;
            Interlocked.Increment(ref _created);

            // The name as the set gave it: reading the pool's own would create the pool before its first rent.
            KeyedPoolsLog.Created(_logger, Name, entry.PoolName, _entries.Count, _maxPools);
            return entry;
        }
    }

    /// <summary>Evicts the pool unused for the longest time that is not in use; called under the gate when the set is full.</summary>
    private bool EvictForRoom()
    {
        var candidates = new List<Entry>(_entries.Count);
        foreach (KeyValuePair<TKey, Entry> pair in _entries)
        {
            candidates.Add(pair.Value);
        }

        candidates.Sort(static (a, b) => Volatile.Read(ref a.LastUsedMs).CompareTo(Volatile.Read(ref b.LastUsedMs)));
        long now = NowMs();
        foreach (Entry candidate in candidates)
        {
            if (TryEvict(candidate, now, idleOnly: false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Evicts a pool if nobody is renting from it and no lease of it is out. The set's count of rents in flight is
    /// locked first, so no rent can start on the pool while its stats are read; a lease out shows in the stats.
    /// </summary>
    private bool TryEvict(Entry entry, long now, bool idleOnly)
    {
        if (!entry.TryBeginEviction())
        {
            return false;
        }

        PoolStats stats = entry.Pool.Stats;
        bool unused = stats.Leased == 0 && stats.Pending == 0
            && (!idleOnly || now - Volatile.Read(ref entry.LastUsedMs) >= _idleTimeoutMs);
        if (!unused || !_entries.TryRemove(new KeyValuePair<TKey, Entry>(entry.Key, entry)))
        {
            entry.CancelEviction();
            return false;
        }

        entry.Evicted();
        Interlocked.Increment(ref _evicted);
        KeyedPoolsLog.Evicted(_logger, Name, entry.PoolName, idleOnly ? "idle" : "to make room or on request", (now - entry.LastUsedMs) / 1000.0);
        Task closing = CloseAsync(entry);
        lock (_gate)
        {
            _closing.RemoveAll(static task => task.IsCompleted);
            _closing.Add(closing);
        }

        return true;
    }

    private async Task CloseAsync(Entry entry)
    {
        try
        {
            await entry.Pool.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // A pool's DisposeAsync logs its own problems; this is for a pool that throws anyway.
            KeyedPoolsLog.CloseFailed(_logger, Name, entry.PoolName, error);
        }
    }

    private List<Entry> BeginShutdown()
    {
        var entries = new List<Entry>();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return entries;
        }

        _timer?.Dispose();
        lock (_gate)
        {
            foreach (KeyValuePair<TKey, Entry> pair in _entries)
            {
                pair.Value.Evicted();
                entries.Add(pair.Value);
            }

            _entries.Clear();
        }

        return entries;
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(
                Name,
                $"Keyed pools '{Name}' have been disposed, so they hand out no more connections. Dispose the set only when the application shuts down.");
        }
    }

    private long NowMs() => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    /// <summary>One key's pool and the set's count of rents in flight on it.</summary>
    private sealed class Entry
    {
        private const int Checking = -1;
        private const int Gone = int.MinValue;

        /// <summary>Rents through the set under way on this pool; <see cref="Checking"/> while an eviction looks at it, <see cref="Gone"/> once evicted.</summary>
        private int _users;

        /// <summary>When a rent through the set last started or ended, in the set's milliseconds.</summary>
        public long LastUsedMs;

        public Entry(TKey key, TPool pool, string poolName, long nowMs)
        {
            Key = key;
            Pool = pool;
            PoolName = poolName;
            LastUsedMs = nowMs;
        }

        public TKey Key { get; }

        public TPool Pool { get; }

        /// <summary>The name the set gave the pool: the set's name and the described key.</summary>
        public string PoolName { get; }

        public bool TryEnter(long nowMs)
        {
            int users = Volatile.Read(ref _users);
            while (users >= 0)
            {
                int seen = Interlocked.CompareExchange(ref _users, users + 1, users);
                if (seen == users)
                {
                    Volatile.Write(ref LastUsedMs, nowMs);
                    return true;
                }

                users = seen;
            }

            return false;
        }

        public void Exit(long nowMs)
        {
            Volatile.Write(ref LastUsedMs, nowMs);
            Interlocked.Decrement(ref _users);
        }

        public bool TryBeginEviction() => Interlocked.CompareExchange(ref _users, Checking, 0) == 0;

        public void CancelEviction() => Volatile.Write(ref _users, 0);

        public void Evicted() => Volatile.Write(ref _users, Gone);
    }
}
