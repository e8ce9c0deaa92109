using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// Rents with a priority. A rent served at once takes the same path as any other; the priority only decides the place
/// of a rent that has to wait (see <see cref="WaiterQueue{TConnection, TLease, TPolicy}.Enqueue"/>).
/// </summary>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Rents a connection with <paramref name="priority"/>, waiting up to the pool's acquire timeout: if it has to
    /// wait, it is served before waiting rents of lower priority (within <see cref="PoolOptions.PriorityAgingMs"/> per
    /// level) and after those of its own priority that came before it.
    /// </summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="PoolOverloadedException">The pool is overloaded and refused the rent at once.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public TLease Rent(PoolPriority priority) => Rent(TimeSpan.FromMilliseconds(_settings.AcquireTimeoutMs), priority);

    /// <summary>Rents a connection with <paramref name="priority"/>, waiting up to <paramref name="timeout"/>.</summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    /// <exception cref="PoolOverloadedException">The pool is overloaded and refused the rent at once.</exception>
    /// <exception cref="ObjectDisposedException">The pool has been disposed.</exception>
    public TLease Rent(TimeSpan timeout, PoolPriority priority) =>
        _settings.LeakThresholdMs == 0 ? Rent(ToMilliseconds(timeout), priority) : RentTracked(ToMilliseconds(timeout), priority);

    /// <summary>Rents a connection asynchronously with <paramref name="priority"/>, waiting up to the pool's acquire timeout.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    public ValueTask<TLease> RentAsync(PoolPriority priority, CancellationToken cancellationToken) =>
        RentAsync(TimeSpan.FromMilliseconds(_settings.AcquireTimeoutMs), priority, cancellationToken);

    /// <summary>Rents a connection asynchronously with <paramref name="priority"/>, waiting up to <paramref name="timeout"/>.</summary>
    /// <remarks>Cancellation while waiting throws <see cref="OperationCanceledException"/> and leaves every count as it was.</remarks>
    public ValueTask<TLease> RentAsync(TimeSpan timeout, PoolPriority priority, CancellationToken cancellationToken) =>
        _settings.LeakThresholdMs == 0
            ? RentAsync(ToMilliseconds(timeout), cancellationToken, priority)
            : RentTrackedAsync(ToMilliseconds(timeout), cancellationToken, priority);
}
