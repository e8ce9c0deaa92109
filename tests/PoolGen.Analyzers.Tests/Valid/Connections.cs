// The connection stays with its lease: commands borrow it inside the lease's scope, the lease is what is kept.
namespace Valid;

public sealed class Command : IDisposable
{
    public FakeConnection? Connection { get; set; }

    public bool Execute() => Connection?.IsOpen ?? false;

    public void Dispose()
    {
    }
}

public sealed class Reports : IDisposable
{
    private readonly OrdersDb _orders = new OrdersDb();
    private OrdersDb.Lease _session;

    public bool Query()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        using var command = new Command { Connection = lease.Connection };
        return command.Execute();
    }

    public bool QueryTwice()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        FakeConnection connection = lease.Connection;
        using var command = new Command();
        command.Connection = connection;
        return command.Execute() && command.Execute();
    }

    // The session's lease is a field of this disposable owner: reading its connection is the owner's business.
    public void Open() => _session = _orders.Rent();

    public FakeConnection Session => _session.Connection;

    // A borrowed lease: its caller holds it for the whole call.
    public static FakeConnection ConnectionOf(OrdersDb.Lease lease) => lease.Connection;

    public Func<bool> Probe() => () =>
    {
        using OrdersDb.Lease lease = _orders.Rent();
        return lease.Connection.IsOpen;
    };

    public bool CheckLocally()
    {
        using OrdersDb.Lease lease = _orders.Rent();
        Func<bool> check = () => lease.Connection.IsOpen;
        return check();
    }

    public void Dispose() => _session.Dispose();
}
