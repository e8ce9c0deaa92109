// A multi-host pool and the service code around it, written as people write it: rents by workload, a read that falls
// back, a transaction on the primary, a capacity check that keeps what it rents. None of it may draw a warning.
namespace Valid;

[ConnectionPool(Max = 20, Validate = nameof(IsAlive), RoleCheck = nameof(RoleOfAsync))]
public sealed partial class ReplicatedOrdersDb
{
    private ValueTask<FakeConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken cancellationToken) =>
        new(new FakeConnection());

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

    private static ValueTask<EndpointRole> RoleOfAsync(FakeConnection connection, CancellationToken cancellationToken) =>
        new(EndpointRole.Primary);

    partial void ConfigurePool(PoolOptions options) => options.Endpoints = [.. PoolEndpoint.ParseList("db1,db2")];

    partial void ConfigureHosts(MultiHostOptions<FakeConnection> options) => options.QuotaPercent[Workload.Analytics] = 25;
}

public sealed class ReplicatedOrders(ReplicatedOrdersDb db)
{
    public async Task<bool> ExistsAsync(int id, CancellationToken cancellationToken)
    {
        await using var lease = await db.RentAsync(Workload.ReadOnly, cancellationToken);
        return lease.Connection.IsOpen && id > 0;
    }

    public async Task PlaceAsync(int id, CancellationToken cancellationToken)
    {
        await using ReplicatedOrdersDb.Lease lease = await db.RentAsync(Workload.ReadWrite, TimeSpan.FromSeconds(5), cancellationToken);
        if (lease.Role != EndpointRole.Primary)
        {
            lease.Invalidate();
            throw new InvalidOperationException($"order {id}: {lease.Endpoint} is no longer the primary");
        }
    }

    public string Where()
    {
        using var lease = db.Rent(Workload.Analytics);
        return $"{lease.Endpoint} ({lease.Role})";
    }

    public bool TryReport()
    {
        if (!db.TryRent(Workload.Analytics, out var lease))
        {
            return false;
        }

        using (lease)
        {
            return lease.Connection.IsOpen;
        }
    }
}
