using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// Every backend of a busy pool is killed on the server. Each killed backend may cost the request that was using it
/// (or the one that takes it next), but a connection whose query failed because it broke is closed, not lent again:
/// the load carries on, on new backends.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeadConnectionTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int Workers = 4;
    private const int Min = 2; // OrdersShapedPool's Min

    // Load before the kill, time for the pool to settle after it, and the stretch in which every request must succeed.
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(1.5);

    // A request that was using a backend when it was killed fails, and so may one that takes a killed idle connection
    // used within ValidateAfterIdleMs (not validated again); two more for a race the test cannot see (a connection
    // rented between the count of backends and their termination).
    private const int ExtraFailuresAllowed = 2;

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-dead-{Guid.NewGuid():N}";

    public DeadConnectionTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task SteadyLoad_WhenEveryBackendIsKilled_FailsAtMostOneRequestPerKilledBackendThenServesEveryRequestOnRefilledConnections()
    {
        using var limit = new CancellationTokenSource(TestLimit);
        await using var pool = new OrdersShapedPool(_cluster.ConnectionStringFor(_app));
        await pool.WarmUpAsync(limit.Token);

        var load = new Load();
        using var stop = new CancellationTokenSource();
        Task[] workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(() => WorkAsync(pool, load, stop.Token, limit.Token))).ToArray();

        await Task.Delay(Before, limit.Token);
        // Requests that start from here on are counted as after the kill: one that starts just before it may meet it.
        load.Phase = Load.AfterKill;
        PoolStats atKill = pool.Stats;
        int killed = await _cluster.TerminateBackendsAsync(_app);
        var sinceKill = Stopwatch.StartNew();

        await Task.Delay(Settle, limit.Token);
        load.Phase = Load.Settled;
        await Task.Delay(After, limit.Token);
        stop.Cancel();
        long loadAfterKillMs = sinceKill.ElapsedMilliseconds;
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), limit.Token);

        // At rest the pool holds live connections, and dead ones only if they sat idle through the kill and no rent
        // has taken them since (nothing tells those apart until a validation: the default 30 s maintenance is far off).
        PoolStats end = await Eventually.WaitForAsync(() => Task.FromResult(pool.Stats), s => s is { Leased: 0, Opening: 0 });
        int idleAtKill = atKill.Total - atKill.Leased;
        int[] live = await Eventually.WaitForAsync(
            () => _cluster.BackendPidsAsync(_app), pids => end.Total - pids.Length <= idleAtKill, TimeSpan.FromSeconds(5));

        long failedAfterKill = load.Failed[Load.AfterKill] + load.Failed[Load.Settled];
        _output.WriteLine($"killed {killed} backends with {atKill.Leased} of {atKill.Total} connections leased; {loadAfterKillMs} ms of load after the kill");
        _output.WriteLine($"before the kill: {load.Succeeded[Load.BeforeKill]} ok, {load.Failed[Load.BeforeKill]} failed");
        _output.WriteLine($"settling:        {load.Succeeded[Load.AfterKill]} ok, {load.Failed[Load.AfterKill]} failed");
        _output.WriteLine($"settled:         {load.Succeeded[Load.Settled]} ok, {load.Failed[Load.Settled]} failed");
        foreach ((string error, int count) in load.Errors.OrderByDescending(e => e.Value).Select(e => (e.Key, e.Value)))
        {
            _output.WriteLine($"  {count} x {error}");
        }

        _output.WriteLine($"at the kill: {atKill}");
        _output.WriteLine($"at the end:  {end}; {live.Length} live backends on the server");

        Assert.True(killed >= Min, $"expected to kill at least Min = {Min} backends, killed {killed}");
        Assert.True(load.Failed[Load.BeforeKill] == 0, $"{load.Failed[Load.BeforeKill]} requests failed before the kill");
        Assert.True(
            failedAfterKill <= killed + ExtraFailuresAllowed,
            $"{failedAfterKill} requests failed after {killed} backends were killed ({atKill.Leased} connections leased at the kill); " +
            $"at most {killed + ExtraFailuresAllowed} may (one per killed backend, plus {ExtraFailuresAllowed}): a connection that broke is being lent again. " +
            $"Errors: {string.Join("; ", load.Errors.Select(e => $"{e.Value} x {e.Key}"))}");
        Assert.True(
            load.Failed[Load.Settled] == 0,
            $"{load.Failed[Load.Settled]} of {load.Failed[Load.Settled] + load.Succeeded[Load.Settled]} requests failed " +
            $"more than {Settle.TotalMilliseconds:0} ms after the kill");
        Assert.True(load.Succeeded[Load.Settled] > 0, "no request succeeded after the pool settled");
        Assert.True(end.Created > atKill.Created, $"the pool opened no new connection after the kill: Created {atKill.Created} before, {end.Created} after");
        Assert.True(end.Total >= Min, $"the pool holds {end.Total} connections after the load, fewer than Min = {Min}: {end}");
        Assert.True(
            end.Total - live.Length <= idleAtKill,
            $"the pool holds {end.Total} connections but the server has {live.Length} live backends for it, and only {idleAtKill} were idle at the kill: " +
            "connections whose queries failed are still pooled");
    }

    private static async Task WorkAsync(OrdersShapedPool pool, Load load, CancellationToken stop, CancellationToken limit)
    {
        while (!stop.IsCancellationRequested)
        {
            int phase = load.Phase;
            try
            {
                await using OrdersShapedPool.Lease lease = await pool.RentAsync(limit);
                await using var command = new NpgsqlCommand("SELECT 1", lease.Connection);
                await command.ExecuteScalarAsync(limit);
                Interlocked.Increment(ref load.Succeeded[phase]);
            }
            catch (Exception ex) when (!limit.IsCancellationRequested)
            {
                Interlocked.Increment(ref load.Failed[phase]);
                load.Errors.AddOrUpdate($"{ex.GetType().Name}: {FirstLine(ex.Message)}", 1, (_, n) => n + 1);

                // A request that fails at once never yields its thread: back off a millisecond, as a caller would, so
                // four failing workers on a two-core machine do not starve the test's own timers.
                await Task.Delay(1, CancellationToken.None);
            }
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>What the workers did, by the phase in which each request started.</summary>
    private sealed class Load
    {
        public const int BeforeKill = 0;
        public const int AfterKill = 1;
        public const int Settled = 2;

        public readonly long[] Succeeded = new long[3];
        public readonly long[] Failed = new long[3];
        public readonly ConcurrentDictionary<string, int> Errors = new();

        private int _phase;

        public int Phase
        {
            get => Volatile.Read(ref _phase);
            set => Volatile.Write(ref _phase, value);
        }
    }
}
