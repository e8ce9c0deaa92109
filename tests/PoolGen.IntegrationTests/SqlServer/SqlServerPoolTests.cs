using System.Data;
using Microsoft.Data.SqlClient;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.SqlServer;

public sealed class SqlServerPoolTests
{
    private readonly ITestOutputHelper _output;

    public SqlServerPoolTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Rent_WithFactoryThatDoesNotConnect_LendsTheUnopenedConnectionAndReusesItAfterReturn()
    {
        using var pool = new UnopenedSqlServerPool();

        SqlConnection first;
        using (UnopenedSqlServerPool.Lease lease = pool.Rent())
        {
            first = lease.Connection;
            Assert.Equal(ConnectionState.Closed, first.State);
            Assert.Equal("127.0.0.1,1", new SqlConnectionStringBuilder(first.ConnectionString).DataSource);
            Assert.Equal((1, 0, 1), (pool.Stats.Total, pool.Stats.Idle, pool.Stats.Leased));
        }

        using (UnopenedSqlServerPool.Lease again = pool.Rent())
        {
            Assert.Same(first, again.Connection);
        }

        PoolStats stats = pool.Stats;
        _output.WriteLine(stats.ToString());
        Assert.Equal((1, 1, 0), (stats.Total, stats.Idle, stats.Leased));
        Assert.Equal((1L, 2L, 0L, 0L), (stats.Created, stats.Rents, stats.Closed, stats.ValidationFailures));
        Assert.Equal(1, pool.CreatedByFactory);
        Assert.Equal(0, pool.DisposedConnections);
    }

    [Fact]
    public async Task RentAsync_UpToMax_ThenTimesOut_AndDisposeClosesEveryConnection()
    {
        var pool = new UnopenedSqlServerPool();
        var leases = new List<UnopenedSqlServerPool.Lease>();
        for (int i = 0; i < 4; i++)
        {
            leases.Add(await pool.RentAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(4, leases.Select(l => l.Connection).Distinct().Count());
        await Assert.ThrowsAsync<PoolTimeoutException>(async () => await pool.RentAsync(TimeSpan.FromMilliseconds(50)));
        Assert.False(pool.TryRent(out _));

        foreach (UnopenedSqlServerPool.Lease lease in leases)
        {
            lease.Dispose();
        }

        PoolStats beforeDispose = pool.Stats;
        _output.WriteLine(beforeDispose.ToString());
        Assert.Equal((4, 4, 0, 1L, 4L), (beforeDispose.Total, beforeDispose.Idle, beforeDispose.Leased, beforeDispose.Timeouts, beforeDispose.Rents));

        await pool.DisposeAsync();

        Assert.Equal(4, pool.DisposedConnections);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [SqlServerFact]
    public async Task SqlServer_RealServer_RequiresPOOLGEN_SQLSERVER_CONNECTION_RentAsyncRunsQuery()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var pool = new RealSqlServerPool(SqlServerFactAttribute.ConnectionString!);

        await using RealSqlServerPool.Lease lease = await pool.RentAsync(timeout.Token);
        await using var command = new SqlCommand("SELECT 1", lease.Connection);
        Assert.Equal(1, await command.ExecuteScalarAsync(timeout.Token));
        Assert.Equal(1L, pool.Stats.Created);
    }

    [SqlServerFact]
    public async Task SqlServer_RealServer_RequiresPOOLGEN_SQLSERVER_CONNECTION_ConcurrentRentsShareAtMostMaxSessions()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var pool = new RealSqlServerPool(SqlServerFactAttribute.ConnectionString!);

        var sessions = new System.Collections.Concurrent.ConcurrentBag<short>();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            await using RealSqlServerPool.Lease lease = await pool.RentAsync(timeout.Token);
            await using var command = new SqlCommand("WAITFOR DELAY '00:00:00.020'; SELECT @@SPID", lease.Connection);
            sessions.Add((short)(await command.ExecuteScalarAsync(timeout.Token))!);
        }))).WaitAsync(timeout.Token);

        Assert.Equal(32, sessions.Count);
        Assert.InRange(sessions.Distinct().Count(), 1, 4);
        Assert.Equal(32, pool.Stats.Rents);
        Assert.InRange(pool.Stats.Created, 1, 4);
    }
}
