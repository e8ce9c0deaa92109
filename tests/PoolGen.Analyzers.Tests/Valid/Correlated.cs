// Branches correlated through a flag, leases in arrays and local lists disposed together, a lease taken only when
// needed: the shapes that need the analysis to remember why a path holds a lease.
using System.Collections.Generic;
using System.Linq;

namespace Valid;

public sealed class Batches
{
    private readonly OrdersDb _db = new OrdersDb();
    private readonly ReportsDb _reports = new ReportsDb();

    // The lease is taken only for some calls; a flag set beside the rent says whether to dispose it.
    public int Optional(bool needsDatabase, string sql)
    {
        OrdersDb.Lease lease = default;
        bool rented = false;
        try
        {
            if (needsDatabase)
            {
                lease = _db.Rent();
                rented = true;
            }

            return rented ? lease.Connection.Execute(sql) : 0;
        }
        finally
        {
            if (rented)
            {
                lease.Dispose();
            }
        }
    }

    // A nullable lease: there only when it was needed, disposed through '?.'.
    public int OptionalNullable(bool needsDatabase, string sql)
    {
        OrdersDb.Lease? lease = null;
        try
        {
            if (needsDatabase)
            {
                lease = _db.Rent();
            }

            return lease.HasValue ? lease.Value.Connection.Execute(sql) : 0;
        }
        finally
        {
            lease?.Dispose();
        }
    }

    // A flag that records success: the lease goes to the caller only when everything worked.
    public OrdersDb.Lease OpenPrepared(string sql)
    {
        OrdersDb.Lease lease = _db.Rent();
        bool handedOver = false;
        try
        {
            lease.Connection.Execute(sql);
            handedOver = true;
            return lease;
        }
        finally
        {
            if (!handedOver)
            {
                lease.Dispose();
            }
        }
    }

    // Several leases at once, kept in an array and disposed together.
    public async Task<int> FanOutAsync(int width, CancellationToken cancellationToken)
    {
        var leases = new OrdersDb.Lease[width];
        try
        {
            for (int i = 0; i < width; i++)
            {
                leases[i] = await _db.RentAsync(cancellationToken);
            }

            var work = new List<Task<int>>();
            foreach (OrdersDb.Lease lease in leases)
            {
                work.Add(lease.Connection.ExecuteAsync("select 1", cancellationToken: cancellationToken));
            }

            return (await Task.WhenAll(work)).Sum();
        }
        finally
        {
            foreach (OrdersDb.Lease lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    // The same with a list, filled as connections come free.
    public int Drain(int most)
    {
        var held = new List<ReportsDb.Lease>();
        try
        {
            while (held.Count < most && _reports.TryRent(out ReportsDb.Lease lease))
            {
                held.Add(lease);
            }

            return held.Count;
        }
        finally
        {
            held.ForEach(lease => lease.Dispose());
        }
    }

    // Two pools in one unit of work, each lease in its own using.
    public async Task<int> CopyAsync(CancellationToken cancellationToken)
    {
        await using var source = await _reports.RentAsync(cancellationToken);
        await using var target = await _db.RentAsync(cancellationToken);
        IEnumerable<Order> rows = await source.Connection.QueryAsync<Order>("select * from orders", cancellationToken: cancellationToken);
        using Transaction transaction = target.Connection.BeginTransaction();
        int copied = 0;
        foreach (Order row in rows)
        {
            copied += target.Connection.Execute("insert into orders values (@Id, @Customer, @Total)", row, transaction);
        }

        transaction.Commit();
        return copied;
    }

    // A transaction rolled back on failure, the lease disposed whatever happens.
    public void Transfer(int debited, int credited, decimal amount)
    {
        using OrdersDb.Lease lease = _db.Rent();
        Transaction transaction = lease.Connection.BeginTransaction();
        try
        {
            lease.Connection.Execute("update accounts set balance = balance - @amount where id = @debited", new { amount, debited }, transaction);
            lease.Connection.Execute("update accounts set balance = balance + @amount where id = @credited", new { amount, credited }, transaction);
            transaction.Commit();
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
        finally
        {
            transaction.Dispose();
        }
    }
}

public static class DbExtensions
{
    // A Dapper-style helper over the pool: it owns the lease for the length of the call.
    public static async Task<T> WithConnectionAsync<T>(this OrdersDb db, Func<FakeConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using OrdersDb.Lease lease = await db.RentAsync(cancellationToken);
        return await work(lease.Connection);
    }

    public static T WithConnection<T>(this OrdersDb db, Func<FakeConnection, T> work)
    {
        using OrdersDb.Lease lease = db.Rent();
        return work(lease.Connection);
    }

    public static Task<int> CountOrdersAsync(this OrdersDb db, CancellationToken cancellationToken) =>
        db.WithConnectionAsync(connection => connection.ExecuteAsync("select count(*) from orders", cancellationToken: cancellationToken), cancellationToken);

    public static IReadOnlyList<Order> Recent(this OrdersDb db) =>
        db.WithConnection(connection => connection.Query<Order>("select * from orders order by id desc limit 10").ToList());
}
