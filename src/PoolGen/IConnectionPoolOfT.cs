using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// A pool of <typeparamref name="TConnection"/> whose rents return <typeparamref name="TLease"/>: every generated pool is
/// one, with its own <c>Lease</c> struct. Code written against it works with any such pool, and a test fake can stand
/// behind it.
/// </summary>
/// <remarks>
/// Take the lease type as a type parameter constrained to <see cref="IConnectionLease{TConnection}"/>, so that the
/// generated struct is never boxed and a rent allocates nothing:
/// <code>
/// sealed class OrderReader&lt;TLease&gt;(IConnectionPool&lt;SqliteConnection, TLease&gt; pool)
///     where TLease : struct, IConnectionLease&lt;SqliteConnection&gt;
/// {
///     public async Task&lt;long&gt; CountAsync(CancellationToken ct)
///     {
///         await using TLease lease = await pool.RentAsync(ct);
///         ...
///     }
/// }
/// </code>
/// </remarks>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The lease type a rent returns.</typeparam>
public interface IConnectionPool<TConnection, TLease> : IConnectionPool
    where TConnection : class
    where TLease : IConnectionLease<TConnection>
{
    /// <summary>
    /// Rents a connection, waiting up to the pool's acquire timeout when none is free. Dispose the lease to give it back.
    /// </summary>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    TLease Rent();

    /// <summary>Rents a connection, waiting up to <paramref name="timeout"/> when none is free.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    TLease Rent(TimeSpan timeout);

    /// <summary>
    /// Rents a connection, waiting asynchronously up to the pool's acquire timeout when none is free. Completes at once,
    /// allocating nothing, when a connection is idle.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait, and an open or validation done for this rent.</param>
    ValueTask<TLease> RentAsync(CancellationToken cancellationToken = default);

    /// <summary>Rents a connection, waiting asynchronously up to <paramref name="timeout"/> when none is free.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the wait, and an open or validation done for this rent.</param>
    ValueTask<TLease> RentAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Rents a connection with <paramref name="priority"/>, blocking up to the pool's acquire timeout when none is free:
    /// a waiting rent of higher priority is served before lower ones that started less than
    /// <see cref="PoolOptions.PriorityAgingMs"/> earlier per level between them.
    /// </summary>
    /// <param name="priority">How urgent the rent is if it has to wait.</param>
    /// <remarks>Implementations that do not queue by priority (a fake in a test, say) may keep this default, which ignores it.</remarks>
    TLease Rent(PoolPriority priority) => Rent();

    /// <summary>Rents a connection with <paramref name="priority"/>, blocking up to <paramref name="timeout"/> when none is free.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="priority">How urgent the rent is if it has to wait.</param>
    /// <remarks>Implementations that do not queue by priority may keep this default, which ignores it.</remarks>
    TLease Rent(TimeSpan timeout, PoolPriority priority) => Rent(timeout);

    /// <summary>Rents a connection with <paramref name="priority"/>, waiting asynchronously up to the pool's acquire timeout.</summary>
    /// <param name="priority">How urgent the rent is if it has to wait.</param>
    /// <param name="cancellationToken">Cancels the wait, and an open or validation done for this rent.</param>
    /// <remarks>Implementations that do not queue by priority may keep this default, which ignores it.</remarks>
    ValueTask<TLease> RentAsync(PoolPriority priority, CancellationToken cancellationToken = default) => RentAsync(cancellationToken);

    /// <summary>Rents a connection with <paramref name="priority"/>, waiting asynchronously up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="priority">How urgent the rent is if it has to wait.</param>
    /// <param name="cancellationToken">Cancels the wait, and an open or validation done for this rent.</param>
    /// <remarks>Implementations that do not queue by priority may keep this default, which ignores it.</remarks>
    ValueTask<TLease> RentAsync(TimeSpan timeout, PoolPriority priority, CancellationToken cancellationToken = default) =>
        RentAsync(timeout, cancellationToken);

    /// <summary>
    /// Rents an idle connection only if one can be had without waiting or opening. When it returns false,
    /// <paramref name="lease"/> is empty and needs no disposing.
    /// </summary>
    /// <param name="lease">The lease, when the method returns true.</param>
    bool TryRent([MaybeNullWhen(false)] out TLease lease);
}
