// Leases that change hands or live across branches, loops and awaits, disposed on every path.
namespace Valid;

public sealed class Checkout : IDisposable
{
    private readonly OrdersDb _orders = new OrdersDb();
    private OrdersDb.Lease _held;

    public int CountOpen(int times)
    {
        int open = 0;
        for (int i = 0; i < times; i++)
        {
            using OrdersDb.Lease lease = _orders.Rent();
            if (!lease.Connection.IsOpen)
            {
                continue;
            }

            open++;
        }

        return open;
    }

    public bool TryQuick(out bool open)
    {
        open = false;
        if (_orders.TryRent(out OrdersDb.Lease lease))
        {
            using (lease)
            {
                open = lease.Connection.IsOpen;
                return true;
            }
        }

        return false;
    }

    public string Describe(int kind)
    {
        OrdersDb.Lease lease = _orders.Rent();
        try
        {
            switch (kind)
            {
                case 0:
                    return "none";
                case 1:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Kind 1 is reserved.");
                default:
                    return lease.Connection.IsOpen ? "open" : "closed";
            }
        }
        finally
        {
            lease.Dispose();
        }
    }

    // A helper that rents for its caller: the caller disposes the lease.
    public OrdersDb.Lease RentChecked()
    {
        OrdersDb.Lease lease = _orders.Rent();
        if (!lease.Connection.IsOpen)
        {
            lease.Dispose();
            throw new InvalidOperationException("The pool handed out a closed connection.");
        }

        return lease;
    }

    public async Task<bool> RentCheckedAsync(CancellationToken cancellationToken)
    {
        await using OrdersDb.Lease lease = await _orders.RentAsync(cancellationToken);
        using OrdersDb.Lease other = RentChecked();
        return lease.Connection.IsOpen && other.Connection.IsOpen;
    }

    // Ownership moves: to a [TakesLease] parameter, to a field of this disposable owner, to a lambda that disposes it.
    public Task HandOver()
    {
        OrdersDb.Lease lease = _orders.Rent();
        return Finish(lease);
    }

    public void Hold() => _held = _orders.Rent();

    public void HoldChecked()
    {
        OrdersDb.Lease lease = _orders.Rent();
        _held.Dispose();
        _held = lease;
    }

    public Task Background()
    {
        OrdersDb.Lease lease = _orders.Rent();
        return Task.Run(() =>
        {
            using (lease)
            {
                _ = lease.Connection.IsOpen;
            }
        });
    }

    public void Dispose() => _held.Dispose();

    private static Task Finish([TakesLease] OrdersDb.Lease lease)
    {
        lease.Dispose();
        return Task.CompletedTask;
    }
}
