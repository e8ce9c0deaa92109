// A lease's life from rent to disposal: used while it lives, disposed once, never touched afterwards.
namespace Valid;

public sealed class Inventory
{
    private readonly OrdersDb _orders = new OrdersDb();

    public bool ConnectionLocal()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        FakeConnection connection = lease.Connection;
        return connection.IsOpen;
    }

    // Give the connection back early, then rent again for the second half of the work.
    public int TwoRounds()
    {
        OrdersDb.Lease lease = _orders.Rent();
        int open = lease.Connection.IsOpen ? 1 : 0;
        lease.Dispose();

        lease = _orders.Rent();
        open += lease.Connection.IsOpen ? 1 : 0;
        lease.Dispose();
        return open;
    }

    public bool DisposedThenChecked()
    {
        OrdersDb.Lease lease = _orders.Rent();
        lease.Dispose();
        return lease.IsActive;
    }

    // A broken connection: the lease closes it on disposal instead of giving it back.
    public void Broken()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        if (!lease.Connection.IsOpen)
        {
            lease.Invalidate();
        }
    }

    // Disposed only when the check fails, on a path that leaves at once; otherwise handed to the caller.
    public OrdersDb.Lease RentOpen()
    {
        OrdersDb.Lease lease = _orders.Rent();
        try
        {
            Require(lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        return lease;
    }

    public async Task<int> EachInTurnAsync(int times, CancellationToken cancellationToken)
    {
        int open = 0;
        for (int i = 0; i < times; i++)
        {
            await using OrdersDb.Lease lease = await _orders.RentAsync(cancellationToken);
            open += lease.Connection.IsOpen ? 1 : 0;
        }

        return open;
    }

    public static void CloseAll([TakesLease] OrdersDb.Lease first, [TakesLease] OrdersDb.Lease second)
    {
        first.Dispose();
        second.Dispose();
    }

    private static void Require(OrdersDb.Lease lease)
    {
        if (!lease.Connection.IsOpen)
        {
            throw new InvalidOperationException("The pool handed out a closed connection.");
        }
    }
}
