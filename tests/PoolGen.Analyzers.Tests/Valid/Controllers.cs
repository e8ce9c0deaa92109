// Controllers and minimal API handlers as ASP.NET Core services write them: rent per request, await using, map the
// rows, return a result; the lease never outlives the request.
using System.Collections.Generic;
using System.Linq;

namespace Valid;

public sealed class OrdersController
{
    private readonly OrdersDb _db;
    private readonly ILog _log;

    public OrdersController(OrdersDb db, ILog log)
    {
        _db = db;
        _log = log;
    }

    public async Task<Result> Get(int id, CancellationToken cancellationToken)
    {
        await using OrdersDb.Lease lease = await _db.RentAsync(cancellationToken);
        Order? order = await lease.Connection.QuerySingleOrDefaultAsync<Order>("select * from orders where id = @id", new { id });
        return order is null ? Results.NotFound() : Results.Ok(order);
    }

    public async Task<Result> List(string? customer, CancellationToken cancellationToken)
    {
        await using var lease = await _db.RentAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<Order> orders = customer is null
            ? await lease.Connection.QueryAsync<Order>("select * from orders", cancellationToken: cancellationToken)
            : await lease.Connection.QueryAsync<Order>("select * from orders where customer = @customer", new { customer }, cancellationToken);
        return Results.Ok(orders.ToList());
    }

    public async Task<Result> Create(Order order, CancellationToken cancellationToken)
    {
        if (order.Total < 0)
        {
            return Results.Problem("A total cannot be negative.");
        }

        try
        {
            await using var lease = await _db.RentAsync(TimeSpan.FromSeconds(2), cancellationToken);
            using Transaction transaction = lease.Connection.BeginTransaction();
            lease.Connection.Execute("insert into orders values (@Id, @Customer, @Total)", order, transaction);
            lease.Connection.Execute("insert into audit values (@Id)", new { order.Id }, transaction);
            transaction.Commit();
            return Results.Ok(order.Id);
        }
        catch (PoolTimeoutException exception)
        {
            _log.Error(exception, "The database is busy.");
            return Results.Problem(exception.Message);
        }
    }

    // A synchronous action: a sync rent is right here.
    public Result Count()
    {
        using OrdersDb.Lease lease = _db.Rent();
        return Results.Ok(lease.Connection.Execute("select count(*) from orders"));
    }
}

public static class OrderEndpoints
{
    public static RouteTable MapOrders(this RouteTable routes) => routes
        .MapGet("/orders/{id}", async (int id, OrdersDb db, CancellationToken cancellationToken) =>
        {
            await using var lease = await db.RentAsync(cancellationToken);
            Order? order = await lease.Connection.QuerySingleOrDefaultAsync<Order>("select * from orders where id = @id", new { id });
            return order is null ? Results.NotFound() : Results.Ok(order);
        })
        .MapGet("/orders/count", (OrdersDb db) =>
        {
            using var lease = db.Rent();
            return Results.Ok(lease.Connection.Execute("select count(*) from orders"));
        })
        .MapPost("/orders", CreateAsync);

    private static async Task<Result> CreateAsync(Order order, OrdersDb db, CancellationToken cancellationToken)
    {
        await using var lease = await db.RentAsync(cancellationToken);
        int rows = await lease.Connection.ExecuteAsync("insert into orders values (@Id, @Customer, @Total)", order, cancellationToken);
        return rows == 1 ? Results.Ok(order.Id) : Results.Problem("Not inserted.");
    }
}
