// Iterators and async streams: the lease lives as long as the enumeration, and a using inside the iterator disposes it
// when the consumer finishes or stops early.
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace Valid;

public sealed class OrderFeed
{
    private readonly OrdersDb _db = new OrdersDb();

    public IEnumerable<Order> ReadAll()
    {
        using OrdersDb.Lease lease = _db.Rent();
        foreach (Order order in lease.Connection.Query<Order>("select * from orders"))
        {
            yield return order;
        }
    }

    public async IAsyncEnumerable<Order> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var lease = await _db.RentAsync(cancellationToken);
        foreach (Order order in await lease.Connection.QueryAsync<Order>("select * from orders", cancellationToken: cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return order;
        }
    }

    // Pages: a lease per page, so that a slow consumer does not hold a connection between pages.
    public async IAsyncEnumerable<IReadOnlyList<Order>> PagesAsync(int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int page = 0; ; page++)
        {
            List<Order> rows;
            await using (var lease = await _db.RentAsync(cancellationToken))
            {
                rows = (await lease.Connection.QueryAsync<Order>("select * from orders limit @pageSize offset @offset", new { pageSize, offset = page * pageSize }, cancellationToken)).ToList();
            }

            if (rows.Count == 0)
            {
                yield break;
            }

            yield return rows;
        }
    }

    // An iterator that hands out leases: each consumer disposes the one it gets.
    public IEnumerable<OrdersDb.Lease> RentEach(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return _db.Rent();
        }
    }

    public int UseEach(int count)
    {
        int open = 0;
        foreach (OrdersDb.Lease lease in RentEach(count))
        {
            using (lease)
            {
                open += lease.Connection.IsOpen ? 1 : 0;
            }
        }

        return open;
    }

    public async Task<int> CountStreamedAsync(CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (Order order in StreamAsync(cancellationToken))
        {
            count += order.Id > 0 ? 1 : 0;
        }

        return count;
    }
}
