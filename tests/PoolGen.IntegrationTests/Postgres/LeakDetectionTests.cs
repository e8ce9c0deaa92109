using System.Runtime.CompilerServices;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using PoolGen.Tests.Fakes;

namespace PoolGen.IntegrationTests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class LeakDetectionTests
{
    private readonly PostgresCluster _cluster;
    private readonly string _app = $"poolgen-leak-{Guid.NewGuid():N}";

    public LeakDetectionTests(PostgresCluster cluster) => _cluster = cluster;

    [Fact]
    public async Task ALeaseHeldPastTheThreshold_IsReportedOnceWithItsCallSite_AndOneReturnedInTimeIsNot()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var logger = new ListLogger();
        await using var pool = new LeakWatchedPool(_cluster.ConnectionStringFor(_app), logger);

        LeakWatchedPool.Lease leaked = await RentAndKeepAsync(pool, timeout.Token);
        await using (LeakWatchedPool.Lease quick = await pool.RentAsync(timeout.Token))
        {
            await using var command = new NpgsqlCommand("SELECT 1", quick.Connection);
            await command.ExecuteScalarAsync(timeout.Token);
        }

        PoolStats reported = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s.LeaksSuspected > 0);
        Assert.Equal(1L, reported.LeaksSuspected);

        // Several more maintenance ticks (every 75 ms) must not report it again.
        await Task.Delay(500, timeout.Token);
        string report = Assert.Single(logger.MessagesOf("LeakSuspected"));
        Assert.Contains($"Pool '{nameof(LeakWatchedPool)}': a lease has been held for", report);
        Assert.Contains(nameof(RentAndKeepAsync), report);
        Assert.Equal(1L, pool.Stats.LeaksSuspected);
        Assert.Contains(pool.GetHealth().Issues, i => i.StartsWith("Leaks suspected: 1 lease", StringComparison.Ordinal));

        await leaked.DisposeAsync();
        Assert.True(pool.GetHealth().IsHealthy, pool.GetHealth().ToString());
    }

    // Not inlined, so the report's stack names it: this is the call site the log must point at.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<LeakWatchedPool.Lease> RentAndKeepAsync(LeakWatchedPool pool, CancellationToken cancellationToken)
    {
        LeakWatchedPool.Lease lease = await pool.RentAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", lease.Connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return lease;
    }
}
