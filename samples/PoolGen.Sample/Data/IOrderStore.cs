using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Sample.Data;

/// <summary>
/// What the workload does to the database, whichever database it is. Each operation rents a connection from the pool
/// and returns it with <c>await using</c>.
/// </summary>
public interface IOrderStore : IAsyncDisposable
{
    /// <summary>A short name for the output, e.g. "SQLite".</summary>
    string Database { get; }

    /// <summary>The pool behind the store: its state, health and warm-up, whatever its connection type.</summary>
    IConnectionPool Pool { get; }

    /// <summary>Places an order; returns its id. <paramref name="priority"/> decides its place if it has to wait for a connection.</summary>
    Task<long> PlaceOrderAsync(long customerId, long amountCents, PoolPriority priority, CancellationToken cancellationToken);

    /// <summary>Reads a customer's order count and total.</summary>
    Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken);

    /// <summary>Reads a customer's latest orders; returns how many rows came back.</summary>
    Task<int> RecentOrdersAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken);

    /// <summary>Counts the orders and the customers' order counts, which match when no write was lost.</summary>
    Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken);
}
