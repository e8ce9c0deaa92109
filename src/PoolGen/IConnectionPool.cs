using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// What every generated pool offers besides its typed rents: its name, state and health, and its lifecycle. Health
/// checks, registries and dashboards are written once against it, for every pool.
/// </summary>
/// <remarks>
/// <see cref="Dispose"/> and <see cref="DisposeAsync"/> close the pool. On a class that has Dispose members of its own
/// they are the generated <c>DisposePool</c> and <c>DisposePoolAsync</c>, not the class's, so this interface never
/// disposes anything but the pool.
/// </remarks>
public interface IConnectionPool
{
    /// <summary>The pool's name, used in exceptions, logs and stats: the class's name unless <c>ConfigurePool</c> sets another.</summary>
    string Name { get; }

    /// <summary>A snapshot of the pool's sizes and counters.</summary>
    PoolStats Stats { get; }

    /// <summary>The pool's health from what it knows now, without I/O: status, issues in plain sentences, latest check.</summary>
    PoolHealth GetHealth();

    /// <summary>
    /// The load the pool carried recently (rent rate, mean hold, demand, utilisation, p99 wait), sampled once a second
    /// over the last ten minutes; null until it has been sampled.
    /// </summary>
    /// <remarks>Implementations that keep no such record (a fake in a test, say) may keep this default, which has none.</remarks>
    PoolLoad? GetLoad() => null;

    /// <summary>
    /// Advice from the recent load, with its numbers: Max too small or too large, leases held long. The same as
    /// <see cref="PoolHealth.Advice"/>.
    /// </summary>
    IReadOnlyList<PoolAdvice> GetAdvice() => GetHealth().Advice;

    /// <summary>
    /// Checks the pool by validating an idle connection (or opening one when none is idle), then reports its health. A
    /// database problem is reported in the health, not thrown.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens connections up to the pool's minimum now, so that the first rents do not wait for them.</summary>
    /// <param name="cancellationToken">Cancels the opens still under way.</param>
    ValueTask WarmUpAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes every idle connection now and every leased one when it comes back, for example after a failover.</summary>
    void Clear();

    /// <summary>Changes the pool's minimum and maximum number of connections while it runs.</summary>
    /// <param name="min">Connections kept open even when idle.</param>
    /// <param name="max">Upper bound on open connections.</param>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are out of range.</exception>
    void Resize(int min, int max);

    /// <summary>Closes the pool: rents fail from now on; idle connections are closed now, leased ones when they come back.</summary>
    void Dispose();

    /// <summary>
    /// Closes the pool gracefully: rents fail from now on, leases get up to the shutdown timeout to come back, then every
    /// connection is closed.
    /// </summary>
    ValueTask DisposeAsync();
}
