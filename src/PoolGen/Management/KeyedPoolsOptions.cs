using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>Settings of a <see cref="KeyedPools{TKey, TPool, TConnection, TLease}"/>. Times are in milliseconds.</summary>
public sealed class KeyedPoolsOptions
{
    /// <summary>Default <see cref="MaxPools"/>: 100.</summary>
    public const int DefaultMaxPools = 100;

    /// <summary>Default <see cref="IdleTimeoutMs"/>: 5 minutes.</summary>
    public const int DefaultIdleTimeoutMs = 300_000;

    /// <summary>Default <see cref="EvictionIntervalMs"/>: 30 seconds.</summary>
    public const int DefaultEvictionIntervalMs = 30_000;

    /// <summary>
    /// The set's name, in exceptions and logs, and the start of each pool's name (<c>Name[key]</c>). Default: the
    /// pool class's name.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// The most pools (keys) held at once. A rent for a new key when the set is full evicts the pool unused for the
    /// longest time, if one is idle; if every pool is in use, the rent throws <see cref="InvalidOperationException"/>.
    /// Default 100; at least 1.
    /// </summary>
    public int MaxPools { get; set; } = DefaultMaxPools;

    /// <summary>
    /// A pool with no lease out and no rent for this long is evicted: removed from the set and disposed gracefully.
    /// Default 5 minutes; <c>0</c>: pools are evicted only to make room for a new key.
    /// </summary>
    public int IdleTimeoutMs { get; set; } = DefaultIdleTimeoutMs;

    /// <summary>How often idle pools are looked for. Default 30 seconds; at least 1 when <see cref="IdleTimeoutMs"/> is set.</summary>
    public int EvictionIntervalMs { get; set; } = DefaultEvictionIntervalMs;

    /// <summary>Where the set logs the pools it creates and evicts. Default none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The clock and timers; tests substitute a fake one. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every value and throws an <see cref="ArgumentOutOfRangeException"/> naming the set and the setting.</summary>
    /// <param name="setName">The set's name, for the message.</param>
    public void Validate(string setName)
    {
        if (MaxPools < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPools), MaxPools,
                $"Keyed pools '{setName}': MaxPools is {MaxPools}, but it must be 1 or more (the default is {DefaultMaxPools}).");
        }

        if (IdleTimeoutMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeoutMs), IdleTimeoutMs,
                $"Keyed pools '{setName}': IdleTimeoutMs is {IdleTimeoutMs} ms, but a time cannot be negative: use a positive " +
                "number of milliseconds, or 0 (pools are then evicted only to make room for a new key).");
        }

        if (IdleTimeoutMs > 0 && EvictionIntervalMs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EvictionIntervalMs), EvictionIntervalMs,
                $"Keyed pools '{setName}': EvictionIntervalMs is {EvictionIntervalMs} ms, but IdleTimeoutMs is set, so it must " +
                $"be 1 or more (the default is {DefaultEvictionIntervalMs} ms).");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
