// Idiomatic lease handling: what the docs tell users to write.
namespace Valid;

public sealed class OrderService
{
    private readonly OrdersDb _orders = new OrdersDb();
    private readonly ReportsDb _reports = new ReportsDb();

    public bool IsOpen()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        return lease.Connection.IsOpen;
    }

    public bool IsOpenWithin(TimeSpan timeout)
    {
        using (OrdersDb.Lease lease = _orders.Rent(timeout))
        {
            return lease.Connection.IsOpen;
        }
    }

    public async Task<bool> IsOpenAsync(CancellationToken cancellationToken)
    {
        await using OrdersDb.Lease lease = await _orders.RentAsync(cancellationToken);
        return lease.Connection.IsOpen;
    }

    public async ValueTask<bool> ConfiguredAsync(CancellationToken cancellationToken)
    {
        await using ReportsDb.Lease lease = await _reports.RentAsync(cancellationToken).ConfigureAwait(false);
        return lease.Connection.IsOpen;
    }

    public bool TryQuick()
    {
        if (!_orders.TryRent(out OrdersDb.Lease lease))
        {
            return false;
        }

        using (lease)
        {
            return lease.Connection.IsOpen;
        }
    }

    public bool WithFinally()
    {
        OrdersDb.Lease lease = _orders.Rent();
        try
        {
            return lease.Connection.IsOpen;
        }
        finally
        {
            lease.Dispose();
        }
    }

    // A helper that hands the lease to its caller, who disposes it.
    public OrdersDb.Lease Take() => _orders.Rent();

    public ValueTask<OrdersDb.Lease> TakeAsync(CancellationToken cancellationToken) => _orders.RentAsync(cancellationToken);

    public bool UsesHelper()
    {
        using OrdersDb.Lease lease = Take();
        return Inspect(lease);
    }

    // Borrowing: the caller keeps the obligation.
    private static bool Inspect(OrdersDb.Lease lease) => lease.Connection.IsOpen;

    public Task<bool> OnThreadPool() => Task.Run(() =>
    {
        using OrdersDb.Lease lease = _orders.Rent(); // a synchronous lambda may rent synchronously
        return lease.Connection.IsOpen;
    });

    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        await _orders.WarmUpAsync(cancellationToken);
        _orders.Clear();
        _ = _orders.Stats;
    }
}

[PoolLease]
public readonly struct HandWrittenLease : IDisposable
{
    public void Dispose()
    {
    }
}

public static class HandWritten
{
    public static HandWrittenLease Take() => default;

    public static void Use()
    {
        using HandWrittenLease lease = Take();
    }
}
