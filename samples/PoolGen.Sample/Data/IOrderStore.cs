using System;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Workload;

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

    /// <summary>Places an order; returns its id.</summary>
    Task<long> PlaceOrderAsync(long customerId, long amountCents, RentLatency latency, CancellationToken cancellationToken);

    /// <summary>Reads a customer's order count and total.</summary>
    Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, RentLatency latency, CancellationToken cancellationToken);

    /// <summary>Reads a customer's latest orders; returns how many rows came back.</summary>
    Task<int> RecentOrdersAsync(long customerId, RentLatency latency, CancellationToken cancellationToken);

    /// <summary>Counts the orders and the customers' order counts, which match when no write was lost.</summary>
    Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken);
}
