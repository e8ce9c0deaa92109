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

    private readonly FakeConnection _floorItem = new();
    private OneSlotPool _floor = null!;
    private DefaultObjectPool<FakeConnection> _objectPool = null!;
    private FakeConnectionPool _generated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _floor = new OneSlotPool(_floorItem);
        _objectPool = new DefaultObjectPool<FakeConnection>(new DefaultPooledObjectPolicy<FakeConnection>(), 4);
        _generated = new FakeConnectionPool();

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

    [Benchmark(OperationsPerInvoke = Operations, Description = "ObjectPool: Get + Return")]
    public void ObjectPool()
    {
        for (int i = 0; i < Operations; i++)
        {
            FakeConnection item = _objectPool.Get();
            _objectPool.Return(item);
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
