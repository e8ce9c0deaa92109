using System.Collections.Concurrent;
using System.Diagnostics;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// Health after an outage: while the server is down and rents fail the pool is not Healthy; once it is back, the
/// pool's own maintenance finds out, and the failures of the outage age out of the health window, so the pool reports
/// Healthy again within two health-check intervals without a single rent. Throughout, <c>IsHealthy</c> means
/// <c>Status != Unhealthy</c>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthRecoveryTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    private const int HealthCheckIntervalMs = 500; // HealthRecoveryPool's

    // Two intervals, plus a second for a maintenance pass that opens connections on a busy two-core machine.
    private const int HealthyWithinMs = 2 * HealthCheckIntervalMs + 2_000;

    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(2);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-health-{Guid.NewGuid():N}";

    public HealthRecoveryTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task GetHealth_AfterTheServerComesBack_IsHealthyWithinTwoCheckIntervalsWithoutARent_AndIsHealthyMeansNotUnhealthyThroughout()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var logger = new RecordingLogger();
        await using var pool = new HealthRecoveryPool(_cluster.ConnectionStringFor(_app), logger);
        await pool.WarmUpAsync(limit.Token);
        var clock = Stopwatch.StartNew();
        var samples = new ConcurrentQueue<(long AtMs, PoolHealthStatus Status, bool IsHealthy)>();
        using var stopSampling = new CancellationTokenSource();
        Task sampling = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                PoolHealth health = pool.GetHealth();
                samples.Enqueue((clock.ElapsedMilliseconds, health.Status, health.IsHealthy));
                await Task.Delay(20, CancellationToken.None);
            }
        });

        try
        {
            PoolHealth warm = pool.GetHealth();
            _output.WriteLine($"{clock.ElapsedMilliseconds,6} ms warm: {warm}; {warm.Stats}");
            Assert.Equal(PoolHealthStatus.Healthy, warm.Status);

            await _cluster.StopServerAsync("fast");
            _output.WriteLine($"{clock.ElapsedMilliseconds,6} ms server stopped");

            // Requests during the outage: the dead connections are found and closed, and new opens fail.
            int failedRequests = 0;
            var outage = Stopwatch.StartNew();
            while (outage.Elapsed < Outage)
            {
                try
                {
                    await using HealthRecoveryPool.Lease lease = await pool.RentAsync(limit.Token);
                    if (!await PostgresProbe.RespondsAsync(lease.Connection, limit.Token))
                    {
                        failedRequests++;
                    }
                }
                catch (Exception ex) when (ex is PoolConnectionException or PoolTimeoutException)
                {
                    failedRequests++;
                }

                await Task.Delay(50, limit.Token);
            }

            PoolHealth down = pool.GetHealth();
            _output.WriteLine($"{clock.ElapsedMilliseconds,6} ms after {failedRequests} failed requests: {down}; {down.Stats}");
            Assert.True(failedRequests > 0, "no request failed while the server was down: the outage was not seen");
            Assert.True(down.Status != PoolHealthStatus.Healthy, $"the pool reports Healthy while the server is down and rents fail: {down}");

            await _cluster.StartServerAsync();
            long upAtMs = clock.ElapsedMilliseconds;
            long rentsAtRestart = pool.Stats.Rents;
            _output.WriteLine($"{upAtMs,6} ms server accepts connections again");

            // No rent from here: only the pool's maintenance can find out that the server is back.
            PoolHealth recovered = await Eventually.WaitForAsync(
                () => Task.FromResult(pool.GetHealth()), h => h.Status == PoolHealthStatus.Healthy, TimeSpan.FromSeconds(10));
            long recoveredAfterMs = clock.ElapsedMilliseconds - upAtMs;
            stopSampling.Cancel();
            await sampling;

            _output.WriteLine($"{clock.ElapsedMilliseconds,6} ms {(recovered.Status == PoolHealthStatus.Healthy ? "Healthy" : "still not Healthy")} " +
                $"{recoveredAfterMs} ms after the server came back: {recovered}; {recovered.Stats}");
            foreach (string transition in Transitions(samples))
            {
                _output.WriteLine(transition);
            }

            var contradictions = samples.Where(s => s.IsHealthy != (s.Status != PoolHealthStatus.Unhealthy)).ToList();
            _output.WriteLine($"{samples.Count} health samples, {samples.Count(s => s.Status == PoolHealthStatus.Degraded)} of them Degraded, " +
                $"{contradictions.Count} where IsHealthy is not Status != Unhealthy");
            _output.WriteLine(logger.Describe(30));

            Assert.True(
                recovered.Status == PoolHealthStatus.Healthy && recoveredAfterMs <= HealthyWithinMs,
                $"the pool should be Healthy within {HealthyWithinMs} ms of the server's return (two {HealthCheckIntervalMs} ms check intervals " +
                $"and slack), without a rent; it was {recovered.Status} after {recoveredAfterMs} ms: {recovered}");
            Assert.True(recovered.IsHealthy, $"Status is Healthy but IsHealthy is false: {recovered}");
            Assert.Equal(rentsAtRestart, pool.Stats.Rents);
            Assert.True(
                contradictions.Count == 0,
                $"IsHealthy must be Status != Unhealthy; {contradictions.Count} samples disagree, the first: " +
                $"{contradictions.FirstOrDefault().Status} with IsHealthy {contradictions.FirstOrDefault().IsHealthy} at {contradictions.FirstOrDefault().AtMs} ms");
        }
        finally
        {
            stopSampling.Cancel();
            await sampling;
            await _cluster.EnsureServerRunningAsync();
        }
    }

    /// <summary>The samples where the status or IsHealthy changed, for the test output.</summary>
    private static IEnumerable<string> Transitions(IEnumerable<(long AtMs, PoolHealthStatus Status, bool IsHealthy)> samples)
    {
        (PoolHealthStatus, bool)? previous = null;
        foreach ((long atMs, PoolHealthStatus status, bool isHealthy) in samples)
        {
            if (previous != (status, isHealthy))
            {
                previous = (status, isHealthy);
                yield return $"{atMs,6} ms {status}, IsHealthy {isHealthy}";
            }
        }
    }
}
