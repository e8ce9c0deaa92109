using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Sample.Data;

/// <summary>
/// The orders repository, written once for any pool of ADO.NET connections: one rented connection per operation,
/// returned by <c>await using</c>. The lease type is a type parameter, so the pool's <c>Lease</c> struct is never boxed.
/// </summary>
/// <typeparam name="TConnection">The pool's connection type.</typeparam>
/// <typeparam name="TLease">The pool's lease type, for example <c>OrdersDb.Lease</c>.</typeparam>
/// <param name="database">A short name for the output, e.g. "SQLite".</param>
/// <param name="pool">The pool; disposing the store disposes it.</param>
/// <param name="schema">The tables the queries use.</param>
internal sealed class OrderStore<TConnection, TLease>(string database, IConnectionPool<TConnection, TLease> pool, Schema schema)
    : IOrderStore
    where TConnection : DbConnection
    where TLease : struct, IConnectionLease<TConnection>
{
    public string Database => database;

    public IConnectionPool Pool => pool;

    public async Task<long> PlaceOrderAsync(long customerId, long amountCents, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using TLease lease = await pool.RentAsync(priority, cancellationToken);
        return await OrderQueries.PlaceOrderAsync(lease.Connection, schema, customerId, amountCents, cancellationToken);
    }

    public async Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using TLease lease = await pool.RentAsync(priority, cancellationToken);
        return await OrderQueries.CustomerTotalsAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<int> RecentOrdersAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using TLease lease = await pool.RentAsync(priority, cancellationToken);
        return await OrderQueries.RecentOrdersAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken)
    {
        await using TLease lease = await pool.RentAsync(cancellationToken);
        return await OrderQueries.ConsistencyAsync(lease.Connection, schema, cancellationToken);
    }

    public ValueTask DisposeAsync() => pool.DisposeAsync();
}
