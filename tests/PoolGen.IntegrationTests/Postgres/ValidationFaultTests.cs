using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>Backends killed on the server while their connections sit idle in the pool: validation finds and replaces them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ValidationFaultTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-validation-{Guid.NewGuid():N}";

    public ValidationFaultTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_WhenOneOfThreeIdleBackendsWasTerminated_TheRentThatFindsItGetsAnotherBackend(bool synchronous)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new FaultPool(_cluster.ConnectionStringFor(_app));
        int[] before = await FillIdleAsync(pool, 3, limit.Token);

        int victim = before[Random.Shared.Next(before.Length)];
        await _cluster.TerminateBackendAsync(victim);
        Assert.DoesNotContain(victim, await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => !pids.Contains(victim)));

        // Three rents held together take all three idle connections, so exactly one of them meets the dead one.
        FaultPool.Lease[] leases = new FaultPool.Lease[3];
        for (int i = 0; i < leases.Length; i++)
        {
            leases[i] = synchronous ? await Task.Run(() => pool.Rent(), limit.Token) : await pool.RentAsync(limit.Token);
        }

        int[] served = new int[leases.Length];
        for (int i = 0; i < leases.Length; i++)
        {
            served[i] = await PostgresProbe.BackendPidAsync(leases[i].Connection, limit.Token);
            await leases[i].DisposeAsync();
        }

        PoolStats stats = pool.Stats;
        _output.WriteLine($"before {string.Join(",", before)}, killed {victim}, served {string.Join(",", served)}; {stats}");
        Assert.DoesNotContain(victim, served);
        Assert.Equal(3, served.Distinct().Count());
        Assert.Equal(2, served.Intersect(before).Count());
        Assert.Equal((1L, 4L, 1L), (stats.ValidationFailures, stats.Created, stats.Closed));
        Assert.Equal((3, 3, 0, 0L), (stats.Total, stats.Idle, stats.Leased, stats.Timeouts));
        Assert.Equal(served.Order().ToArray(), await _cluster.BackendPidsAsync(_app));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_WhenEveryIdleBackendWasTerminated_OneRentDiscardsThemAllAndSucceedsOnANewBackend(bool synchronous)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new FaultPool(_cluster.ConnectionStringFor(_app));
        int[] before = await FillIdleAsync(pool, 3, limit.Token);

        Assert.Equal(3, await _cluster.TerminateBackendsAsync(_app));
        Assert.Empty(await Eventually.WaitForAsync(() => _cluster.BackendPidsAsync(_app), pids => pids.Length == 0));

        int served;
        await using (FaultPool.Lease lease = synchronous ? await Task.Run(() => pool.Rent(), limit.Token) : await pool.RentAsync(limit.Token))
        {
            served = await PostgresProbe.BackendPidAsync(lease.Connection, limit.Token);
        }

        PoolStats stats = pool.Stats;
        _output.WriteLine($"before {string.Join(",", before)}, served {served}; {stats}");
        Assert.DoesNotContain(served, before);
        Assert.Equal((3L, 4L, 3L, 0L), (stats.ValidationFailures, stats.Created, stats.Closed, stats.CreateFailures));
        Assert.Equal((1, 1, 0), (stats.Total, stats.Idle, stats.Leased));
        Assert.Equal([served], await _cluster.BackendPidsAsync(_app));
    }

    /// <summary>Opens <paramref name="count"/> connections by holding that many leases at once, then returns them all.</summary>
    private async Task<int[]> FillIdleAsync(FaultPool pool, int count, CancellationToken cancellationToken)
    {
        FaultPool.Lease[] leases = new FaultPool.Lease[count];
        for (int i = 0; i < count; i++)
        {
            leases[i] = await pool.RentAsync(cancellationToken);
        }

        foreach (FaultPool.Lease lease in leases)
        {
            await lease.DisposeAsync();
        }

        int[] pids = await _cluster.BackendPidsAsync(_app);
        Assert.Equal(count, pids.Length);
        Assert.Equal((count, count), (pool.Stats.Total, pool.Stats.Idle));
        return pids;
    }
}
