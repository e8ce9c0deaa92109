using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The application's live pools, held weakly: every generated pool adds itself to <see cref="Default"/> when it is
/// created and leaves it when it is disposed, and a pool nobody references any more drops out when it is collected.
/// Health endpoints, dashboards and admin commands read every pool's stats and health here, find a pool by name, or
/// clear them all, without a list of their own.
/// </summary>
/// <remarks>
/// Reads take a snapshot: a pool created or disposed meanwhile may or may not be in it. Names are not checked for
/// uniqueness; give pools of one class distinct names (<see cref="PoolOptions.Name"/>) to tell them apart.
/// </remarks>
public sealed class PoolRegistry
{
    private readonly List<WeakReference<IConnectionPool>> _pools = new();

    /// <summary>The count at which <see cref="Add"/> drops dead references, so an application that never reads stays small.</summary>
    private int _pruneAt = 16;

    /// <summary>The registry every generated pool adds itself to; dependency injection serves this instance.</summary>
    public static PoolRegistry Default { get; } = new();

    /// <summary>How many live pools the registry holds now.</summary>
    public int Count => GetPools().Count;

    /// <summary>Adds a pool; adding one that is already there does nothing. Generated pools add themselves.</summary>
    /// <param name="pool">The pool, held weakly.</param>
    public void Add(IConnectionPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_pools)
        {
            if (IndexOf(pool) >= 0)
            {
                return;
            }

            if (_pools.Count >= _pruneAt)
            {
                _pools.RemoveAll(static reference => !reference.TryGetTarget(out _));
                _pruneAt = Math.Max(16, _pools.Count * 2);
            }

            _pools.Add(new WeakReference<IConnectionPool>(pool));
        }
    }

    /// <summary>Removes a pool; generated pools remove themselves when they are disposed.</summary>
    /// <param name="pool">The pool.</param>
    /// <returns>Whether the pool was there.</returns>
    public bool Remove(IConnectionPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        lock (_pools)
        {
            int index = IndexOf(pool);
            if (index < 0)
            {
                return false;
            }

            _pools.RemoveAt(index);
            return true;
        }
    }

    /// <summary>The live pools, in the order they were created.</summary>
    public IReadOnlyList<IConnectionPool> GetPools()
    {
        var live = new List<IConnectionPool>();
        lock (_pools)
        {
            // Dead references are dropped here, so the list never grows past the pools that were alive at the last read.
            _pools.RemoveAll(reference =>
            {
                if (!reference.TryGetTarget(out IConnectionPool? pool))
                {
                    return true;
                }

                live.Add(pool);
                return false;
            });
        }

        return live;
    }

    /// <summary>The first live pool with this name (compared ordinally), or null.</summary>
    /// <param name="name">The pool's <see cref="IConnectionPool.Name"/>.</param>
    public IConnectionPool? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (IConnectionPool pool in GetPools())
        {
            if (string.Equals(pool.Name, name, StringComparison.Ordinal))
            {
                return pool;
            }
        }

        return null;
    }

    /// <summary>The names of the live pools, in the order they were created.</summary>
    public IReadOnlyList<string> GetNames() => Map(GetPools(), static pool => pool.Name);

    /// <summary>A stats snapshot of every live pool.</summary>
    public IReadOnlyList<PoolStats> GetStats() => Map(GetPools(), static pool => pool.Stats);

    /// <summary>The health of every live pool from what each knows now, without I/O.</summary>
    public IReadOnlyList<PoolHealth> GetHealth() => Map(GetPools(), static pool => pool.GetHealth());

    /// <summary>Checks every live pool actively (see <see cref="IConnectionPool.CheckHealthAsync"/>), all at once, and reports their health.</summary>
    /// <param name="cancellationToken">Cancels the checks.</param>
    public async Task<IReadOnlyList<PoolHealth>> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IConnectionPool> pools = GetPools();
        var checks = new Task<PoolHealth>[pools.Count];
        for (int i = 0; i < checks.Length; i++)
        {
            checks[i] = pools[i].CheckHealthAsync(cancellationToken).AsTask();
        }

        return await Task.WhenAll(checks).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears every live pool (<see cref="IConnectionPool.Clear"/>): idle connections close now, leased ones when they
    /// come back. Use it after a failover or a password rotation. A disposed pool is skipped.
    /// </summary>
    /// <returns>How many pools were cleared.</returns>
    public int ClearAll()
    {
        int cleared = 0;
        foreach (IConnectionPool pool in GetPools())
        {
            try
            {
                pool.Clear();
                cleared++;
            }
            catch (ObjectDisposedException)
            {
                // Disposed while the snapshot was taken: nothing to clear.
            }
        }

        return cleared;
    }

    private int IndexOf(IConnectionPool pool)
    {
        for (int i = 0; i < _pools.Count; i++)
        {
            if (_pools[i].TryGetTarget(out IConnectionPool? held) && ReferenceEquals(held, pool))
            {
                return i;
            }
        }

        return -1;
    }

    private static T[] Map<T>(IReadOnlyList<IConnectionPool> pools, Func<IConnectionPool, T> read)
    {
        var values = new T[pools.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(pools[i]);
        }

        return values;
    }
}
