using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Workload;
using PoolGen.Sample.Data;

namespace PoolGen.Sample.Sqlite;

/// <summary>The orders repository on SQLite: one rented connection per operation, returned by <c>await using</c>.</summary>
internal sealed class SqliteOrderStore(OrdersDb db, Schema schema) : IOrderStore
{
    public string Database => "SQLite";

    public PoolStats Stats => db.Stats;

    public PoolHealth GetHealth() => db.GetHealth();

    public ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken) => db.CheckHealthAsync(cancellationToken);

    public ValueTask WarmUpAsync(CancellationToken cancellationToken) => db.WarmUpAsync(cancellationToken);

    public async Task<long> PlaceOrderAsync(long customerId, long amountCents, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.PlaceOrderAsync(lease.Connection, schema, customerId, amountCents, cancellationToken);
    }

    public async Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.CustomerTotalsAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<int> RecentOrdersAsync(long customerId, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.RecentOrdersAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken)
    {
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        return await OrderQueries.ConsistencyAsync(lease.Connection, schema, cancellationToken);
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();
}
