using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace PoolGen.Benchmarks;

/// <summary>
/// More workers than connections: each worker rents, does a little work while holding the connection (a short spin,
/// then a yield that stands in for the database round trip and lets another worker run), and returns. With
/// <see cref="WorkersPerConnection"/> above 1 most rents wait, so this measures the pools' waiting and hand-off.
/// Every invocation does <see cref="Operations"/> cycles in all, split across the workers, so the times are per cycle.
/// </summary>
[MemoryDiagnoser]
public class ContendedBenchmarks
{
    /// <summary>Rent/return cycles per invocation, across all workers.</summary>
    public const int Operations = 8192;

    /// <summary>Iterations of <see cref="Thread.SpinWait(int)"/> done while a connection is held.</summary>
    public const int WorkSpins = 20;

    private ChannelPool<FakeConnection> _channelPool = null!;
    private SemaphorePool<FakeConnection> _semaphorePool = null!;
    private SizedFakeConnectionPool _generated = null!;
    private Task[] _workers = null!;

    /// <summary>Connections in every pool.</summary>
    [Params(4)]
    public int Max { get; set; }

    /// <summary>Workers per connection: 1 means no rent waits, 4 means three workers in four wait.</summary>
    [Params(1, 2, 4)]
    public int WorkersPerConnection { get; set; }

    private int Workers => Max * WorkersPerConnection;

    private int CyclesPerWorker => Operations / Workers;

    [GlobalSetup]
    public void Setup()
    {
        _channelPool = new ChannelPool<FakeConnection>(FakeConnection.CreateMany(Max));
        _semaphorePool = new SemaphorePool<FakeConnection>(FakeConnection.CreateMany(Max));
        _generated = new SizedFakeConnectionPool(Max);
        _workers = new Task[Workers];

        // Open every connection of the generated pool, so that the runs measure reuse, not opening.
        PoolGen().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _generated.Dispose();

    [Benchmark(OperationsPerInvoke = Operations, Description = "Work only, no pool")]
    public Task WorkOnly()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = WorkOnlyWorker(CyclesPerWorker);
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Channel pool")]
    public Task Channel()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = ChannelWorker(CyclesPerWorker);
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "SemaphoreSlim pool")]
    public Task Semaphore()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = SemaphoreWorker(CyclesPerWorker);
        }

        return Task.WhenAll(_workers);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "PoolGen")]
    public Task PoolGen()
    {
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = PoolGenWorker(CyclesPerWorker);
        }

        return Task.WhenAll(_workers);
    }

    // Each worker first yields, so that all of them start on the thread pool rather than one after another here.

    private static async Task WorkOnlyWorker(int cycles)
    {
        await Task.Yield();
        for (int i = 0; i < cycles; i++)
        {
            Thread.SpinWait(WorkSpins);
            await Task.Yield();
        }
    }

    private async Task ChannelWorker(int cycles)
    {
        await Task.Yield();
        for (int i = 0; i < cycles; i++)
        {
            FakeConnection connection = await _channelPool.RentAsync().ConfigureAwait(false);
            Thread.SpinWait(WorkSpins);
            await Task.Yield();
            _channelPool.Return(connection);
        }
    }

    private async Task SemaphoreWorker(int cycles)
    {
        await Task.Yield();
        for (int i = 0; i < cycles; i++)
        {
            FakeConnection connection = await _semaphorePool.RentAsync().ConfigureAwait(false);
            Thread.SpinWait(WorkSpins);
            await Task.Yield();
            _semaphorePool.Return(connection);
        }
    }

    private async Task PoolGenWorker(int cycles)
    {
        await Task.Yield();
        for (int i = 0; i < cycles; i++)
        {
            await using (SizedFakeConnectionPool.Lease lease = await _generated.RentAsync().ConfigureAwait(false))
            {
                _ = lease.Connection;
                Thread.SpinWait(WorkSpins);
                await Task.Yield();
            }
        }
    }
}
