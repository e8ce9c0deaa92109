using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Data;
using PoolGen.Sample.Workload;

namespace PoolGen.Sample.Postgres;

/// <summary>The orders repository on PostgreSQL: one rented connection per operation, returned by <c>await using</c>.</summary>
internal sealed class PostgresOrderStore(PgOrdersDb db, Schema schema) : IOrderStore
{
    public string Database => "PostgreSQL";

    public PoolStats Stats => db.Stats;

    public PoolHealth GetHealth() => db.GetHealth();

    public ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken) => db.CheckHealthAsync(cancellationToken);

    public ValueTask WarmUpAsync(CancellationToken cancellationToken) => db.WarmUpAsync(cancellationToken);

    public async Task<long> PlaceOrderAsync(long customerId, long amountCents, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using PgOrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.PlaceOrderAsync(lease.Connection, schema, customerId, amountCents, cancellationToken);
    }

    public async Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using PgOrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.CustomerTotalsAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<int> RecentOrdersAsync(long customerId, RentLatency latency, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await using PgOrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        latency.Record(started);
        return await OrderQueries.RecentOrdersAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken)
    {
        await using PgOrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        return await OrderQueries.ConsistencyAsync(lease.Connection, schema, cancellationToken);
    }

    public ValueTask DisposeAsync() => db.DisposeAsync();
}
