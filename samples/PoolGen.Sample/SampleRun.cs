using System;
using System.Threading;
using System.Threading.Tasks;
using PoolGen.Sample.Data;
using PoolGen.Sample.Postgres;
using PoolGen.Sample.Sqlite;
using PoolGen.Sample.Workload;

namespace PoolGen.Sample;

/// <summary>One run of the sample: set up the database, warm the pool, run the workload, check and report.</summary>
internal static class SampleRun
{
    public static async Task<int> RunAsync(SampleArguments arguments, CancellationToken cancellationToken)
    {
        Action<PoolOptions>? tune = arguments.Overload ? OverloadSettings.Apply : null;
        await using ISampleDatabase database = arguments switch
        {
            { Replica: { } replica } => await ReplicaDatabase.CreateAsync(replica.Primary, replica.Standby, cancellationToken),
            { Postgres: { } postgres } => await PostgresDatabase.CreateAsync(postgres, tune, cancellationToken),
            _ => await SqliteDatabase.CreateAsync(tune, cancellationToken),
        };
        IOrderStore store = database.Store;
        Console.WriteLine($"PoolGen sample: {store.Database} at {database.Description}");
        Console.WriteLine(arguments.Overload
            ? $"Overload: {arguments.Workers} workers for {arguments.Seconds} s against a pool of at most 16, 250 ms deadlines, priorities, AutoSize and ShedLoad; Ctrl+C stops early."
            : $"{arguments.Workers} workers for {arguments.Seconds} s, 30% writes; Ctrl+C stops early.");
        Console.WriteLine();

        await store.Pool.WarmUpAsync(cancellationToken);
        var runner = new WorkloadRunner(store, arguments.Workers, TimeSpan.FromSeconds(arguments.Seconds), arguments.Overload);
        WorkloadResult result = await runner.RunAsync(cancellationToken);

        PoolStats stats = store.Pool.Stats;
        (long Orders, long Counted) consistency = await store.ConsistencyAsync(CancellationToken.None);
        PoolHealth health = await store.Pool.CheckHealthAsync(CancellationToken.None);
        SummaryPrinter.Print(store.Database, result, stats, health, consistency);
        if (store is ReplicaOrderStore replicas)
        {
            replicas.PrintEndpoints();
        }

        return Check(result, stats, consistency);
    }

    /// <summary>The run succeeded when every write landed exactly once and the pool is back at rest.</summary>
    private static int Check(WorkloadResult result, PoolStats stats, (long Orders, long Counted) consistency)
    {
        long expectedOrders = Schema.SeedOrders + result.Writes;
        if (consistency.Orders != expectedOrders || consistency.Counted != expectedOrders)
        {
            Console.Error.WriteLine(
                $"error: expected {expectedOrders} orders ({Schema.SeedOrders} seeded + {result.Writes} placed), found {consistency.Orders} rows and {consistency.Counted} counted by customers.");
            return 1;
        }

        if (stats.Leased != 0 || stats.Pending != 0 || stats.Total != stats.Idle)
        {
            Console.Error.WriteLine(
                $"error: the pool is not at rest after the workload: {stats.Leased} leased, {stats.Pending} pending, {stats.Total} open but {stats.Idle} idle.");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("OK: every order landed once and every lease came back.");
        return 0;
    }
}
