using System;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Data;
using RentWorkload = PoolGen.Workload; // the sample's own namespace is called Workload too

namespace PoolGen.Sample.Postgres;

/// <summary>
/// The orders repository over a primary and a standby: orders are placed with <see cref="RentWorkload.ReadWrite"/> rents
/// (the primary), reports read with <see cref="RentWorkload.ReadOnly"/> rents (the standby, or the primary when it is down).
/// The multi-host pool routes by workload; the rents' priorities are not used here.
/// </summary>
/// <param name="pool">The multi-host pool; disposing the store disposes it.</param>
/// <param name="schema">The tables the queries use.</param>
internal sealed class ReplicaOrderStore(PgReplicasDb pool, Schema schema) : IOrderStore
{
    public string Database => "PostgreSQL primary + standby";

    public IConnectionPool Pool => pool;

    public async Task<long> PlaceOrderAsync(long customerId, long amountCents, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using var lease = await pool.RentAsync(RentWorkload.ReadWrite, cancellationToken);
        return await OrderQueries.PlaceOrderAsync(lease.Connection, schema, customerId, amountCents, cancellationToken);
    }

    public async Task<(long Orders, long TotalCents)> CustomerTotalsAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using var lease = await pool.RentAsync(RentWorkload.ReadOnly, cancellationToken);
        return await OrderQueries.CustomerTotalsAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    public async Task<int> RecentOrdersAsync(long customerId, PoolPriority priority, CancellationToken cancellationToken)
    {
        await using var lease = await pool.RentAsync(RentWorkload.ReadOnly, cancellationToken);
        return await OrderQueries.RecentOrdersAsync(lease.Connection, schema, customerId, cancellationToken);
    }

    // Counted on the primary: a standby may not have replayed the last orders yet.
    public async Task<(long Orders, long Counted)> ConsistencyAsync(CancellationToken cancellationToken)
    {
        await using var lease = await pool.RentAsync(RentWorkload.ReadWrite, cancellationToken);
        return await OrderQueries.ConsistencyAsync(lease.Connection, schema, cancellationToken);
    }

    /// <summary>Prints where the rents went: each endpoint's role, state and rents.</summary>
    public void PrintEndpoints()
    {
        Console.WriteLine();
        foreach (EndpointStats endpoint in pool.GetEndpointStats())
        {
            Console.WriteLine(
                $"  {endpoint.Endpoint}: {endpoint.Role}, {(endpoint.IsOnline ? "online" : $"offline ({endpoint.LastError})")}, " +
                $"{endpoint.Pool.Rents} rents, {endpoint.Pool.Total} connections");
        }
    }

    public ValueTask DisposeAsync() => pool.DisposeAsync();
}
