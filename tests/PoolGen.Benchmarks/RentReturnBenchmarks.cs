using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.ObjectPool;

namespace PoolGen.Benchmarks;

/// <summary>
/// One rent and one return on a warm pool with no contention: the cost a pool adds to every database call. Each
/// benchmark does <see cref="Operations"/> cycles per invocation so that the harness's own per-call overhead, which
/// differs between synchronous and asynchronous benchmarks, is spread thin.
/// </summary>
[MemoryDiagnoser]
public class RentReturnBenchmarks
{
    /// <summary>Rent/return cycles per benchmark invocation.</summary>
    public const int Operations = 1024;

    /// <summary>Size of every pool here, the generated pool's <c>Max</c>.</summary>
    public const int PoolSize = 4;

    private readonly FakeConnection _floorItem = new();
    private OneSlotPool _floor = null!;
    private DefaultObjectPool<FakeConnection> _objectPool = null!;
    private ChannelPool<FakeConnection> _channelPool = null!;
    private SemaphorePool<FakeConnection> _semaphorePool = null!;
    private FakeConnectionPool _generated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _floor = new OneSlotPool(_floorItem);
        _objectPool = new DefaultObjectPool<FakeConnection>(new DefaultPooledObjectPolicy<FakeConnection>(), 4);
        _generated = new FakeConnectionPool();
        _channelPool = new ChannelPool<FakeConnection>(FakeConnection.CreateMany(PoolSize));
        _semaphorePool = new SemaphorePool<FakeConnection>(FakeConnection.CreateMany(PoolSize));

        // Warm every pool: the first rent opens the connection, later ones reuse it.
        _objectPool.Return(_objectPool.Get());
        using (FakeConnectionPool.Lease lease = _generated.Rent())
        {
            _ = lease.Connection;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _generated.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Floor: CAS take + volatile return")]
    public void Floor()
    {
        FakeConnection item = _floorItem;
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection? taken = _floor.TryTake(item);
            _floor.Return(taken!);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Floor: CAS take + CAS return")]
    public void FloorCheckedReturn()
    {
        FakeConnection item = _floorItem;
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection? taken = _floor.TryTake(item);
            _floor.ReturnChecked(taken!);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Floor: await CAS take + volatile return")]
    public async Task FloorAsync()
    {
        FakeConnection item = _floorItem;
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection? taken = await _floor.TryTakeAsync(item);
            _floor.Return(taken!);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "ObjectPool: Get + Return")]
    public void ObjectPool()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = _objectPool.Get();
            _objectPool.Return(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Channel: TryRead + TryWrite")]
    public void ChannelSync()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = _channelPool.Rent();
            _channelPool.Return(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Channel: await ReadAsync + TryWrite")]
    public async Task ChannelAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = await _channelPool.RentAsync();
            _channelPool.Return(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "SemaphoreSlim: Wait + Release")]
    public void SemaphoreSync()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = _semaphorePool.Rent();
            _semaphorePool.Return(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "SemaphoreSlim: await WaitAsync + Release")]
    public async Task SemaphoreAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = await _semaphorePool.RentAsync();
            _semaphorePool.Return(item);
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "PoolGen: Rent + Dispose")]
    public void GeneratedSync()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (FakeConnectionPool.Lease lease = _generated.Rent())
            {
                _ = lease.Connection;
            }
        }
    }

    /// <summary>
    /// The asynchronous rent with a synchronous return: against the row below, what <c>await using</c> and
    /// <c>DisposeAsync</c> add to an asynchronous cycle; against the synchronous row, what the awaited rent adds.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations, Description = "PoolGen: await RentAsync + Dispose")]
    public async Task GeneratedAsyncRentSyncReturn()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (FakeConnectionPool.Lease lease = await _generated.RentAsync())
            {
                _ = lease.Connection;
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "PoolGen: await RentAsync + DisposeAsync")]
    public async Task GeneratedAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using (FakeConnectionPool.Lease lease = await _generated.RentAsync())
            {
                _ = lease.Connection;
            }
        }
    }
}
