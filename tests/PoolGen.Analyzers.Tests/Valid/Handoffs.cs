// Ownership hand-offs of every legal kind: returned (also in a tuple, from an async method, through an out parameter),
// given to a [TakesLease] parameter (also one an override or implementation inherits), kept by a disposable owner
// (a field, a list, a dictionary, a tuple field), or taken by a closure that disposes it.
using System.Collections.Generic;

namespace Valid;

public sealed class Session : IDisposable
{
    private readonly OrdersDb.Lease _lease;
    private readonly FakeConnection _connection;

    // The session owns the lease, so it may keep the connection beside it.
    public Session([TakesLease] OrdersDb.Lease lease)
    {
        _lease = lease;
        _connection = lease.Connection;
    }

    public int Execute(string sql) => _connection.Execute(sql);

    public void Dispose() => _lease.Dispose();
}

// A unit of work that rents for its own lifetime: the lease, its connection and a transaction live as long as it does.
public sealed class UnitOfWork : IDisposable
{
    private readonly OrdersDb.Lease _lease;
    private readonly FakeConnection _connection;
    private readonly Transaction _transaction;

    public UnitOfWork(OrdersDb db)
    {
        var lease = db.Rent();
        _lease = lease;
        _connection = lease.Connection;
        _transaction = _connection.BeginTransaction();
    }

    public int Execute(string sql) => _connection.Execute(sql, transaction: _transaction);

    public void Commit() => _transaction.Commit();

    public void Dispose()
    {
        _transaction.Dispose();
        _lease.Dispose();
    }
}

public abstract class LeaseSink
{
    public abstract void Accept([TakesLease] OrdersDb.Lease lease);
}

public sealed class ClosingSink : LeaseSink
{
    public override void Accept(OrdersDb.Lease lease) => lease.Dispose();
}

public interface ILeaseConsumer
{
    Task ConsumeAsync([TakesLease] OrdersDb.Lease lease);
}

public sealed class AuditConsumer : ILeaseConsumer
{
    public async Task ConsumeAsync(OrdersDb.Lease lease)
    {
        await using (lease)
        {
            await lease.Connection.ExecuteAsync("insert into audit default values");
        }
    }
}

public sealed class LeaseOwner : IDisposable
{
    private readonly OrdersDb _db = new OrdersDb();
    private readonly List<OrdersDb.Lease> _leases = new();
    private readonly Dictionary<string, OrdersDb.Lease> _byTenant = new();
    private (OrdersDb.Lease Lease, DateTime Since) _pinned;
    private OrdersDb.Lease[] _slots = new OrdersDb.Lease[4];

    public OrdersDb.Lease Open()
    {
        OrdersDb.Lease lease = _db.Rent();
        try
        {
            Prepare(lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        return lease;
    }

    public async Task<OrdersDb.Lease> OpenAsync(CancellationToken cancellationToken)
    {
        var lease = await _db.RentAsync(cancellationToken);
        return lease;
    }

    // A synchronous fast path of an asynchronous API: the task carries the lease to the caller.
    public ValueTask<OrdersDb.Lease> OpenFastAsync(CancellationToken cancellationToken)
    {
        if (_db.TryRent(out OrdersDb.Lease lease))
        {
            return new ValueTask<OrdersDb.Lease>(lease);
        }

        return _db.RentAsync(cancellationToken);
    }

    public Task<OrdersDb.Lease> OpenAsTask()
    {
        var lease = _db.Rent();
        return Task.FromResult(lease);
    }

    public (OrdersDb.Lease Lease, bool Open) OpenChecked()
    {
        var lease = _db.Rent();
        return (lease, lease.Connection.IsOpen);
    }

    public bool TryOpen(out OrdersDb.Lease lease)
    {
        lease = _db.Rent(TimeSpan.Zero);
        return true;
    }

    public Session StartSession()
    {
        var lease = _db.Rent();
        return new Session(lease);
    }

    public void Give(LeaseSink sink, ClosingSink closing)
    {
        var first = _db.Rent();
        sink.Accept(first);
        var second = _db.Rent();
        closing.Accept(second);
    }

    public Task AuditAsync(AuditConsumer consumer)
    {
        var lease = _db.Rent();
        return consumer.ConsumeAsync(lease);
    }

    public void Keep()
    {
        var lease = _db.Rent();
        _leases.Add(lease);
    }

    public void KeepFor(string tenant)
    {
        var lease = _db.Rent();
        _byTenant[tenant] = lease;
    }

    public void KeepForAlso(string tenant)
    {
        var lease = _db.Rent();
        _byTenant.Add(tenant + "/2", lease);
    }

    public void Pin()
    {
        var lease = _db.Rent();
        _pinned.Lease.Dispose();
        _pinned = (lease, DateTime.UtcNow);
    }

    public void Slot(int index)
    {
        var lease = _db.Rent();
        _slots[index].Dispose();
        _slots[index] = lease;
    }

    public Action Deferred()
    {
        var lease = _db.Rent();
        void Release() => lease.Dispose();
        return Release;
    }

    public void Dispose()
    {
        foreach (OrdersDb.Lease lease in _leases)
        {
            lease.Dispose();
        }

        foreach (OrdersDb.Lease lease in _byTenant.Values)
        {
            lease.Dispose();
        }

        _pinned.Lease.Dispose();
        Array.ForEach(_slots, slot => slot.Dispose());
    }

    private static void Prepare(OrdersDb.Lease lease)
    {
        if (!lease.Connection.IsOpen)
        {
            throw new InvalidOperationException("The pool handed out a closed connection.");
        }
    }
}

public sealed class LeaseUsers
{
    private readonly LeaseOwner _owner = new LeaseOwner();

    public int UseOpened()
    {
        using OrdersDb.Lease lease = _owner.Open();
        using Session session = _owner.StartSession();
        (OrdersDb.Lease checkedLease, bool open) = _owner.OpenChecked();
        using (checkedLease)
        {
            return open ? session.Execute("select 1") : 0;
        }
    }

    public bool UseTried()
    {
        if (!_owner.TryOpen(out OrdersDb.Lease lease))
        {
            return false;
        }

        using (lease)
        {
            return lease.Connection.IsOpen;
        }
    }
}
