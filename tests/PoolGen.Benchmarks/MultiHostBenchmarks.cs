using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace PoolGen.Benchmarks;

/// <summary>
/// What routing costs: a rent and return on a warm single-endpoint pool against the same through a
/// <see cref="MultiHostPool{TConnection, TLease}"/> of a primary and a standby (each endpoint the same generated pool),
/// in one run, so the ratio is not moved by the machine. The bound: a multi-endpoint rent costs at most 1.2×.
/// </summary>
[MemoryDiagnoser]
public class MultiHostBenchmarks
{
    /// <summary>Rent/return cycles per benchmark invocation.</summary>
    public const int Operations = 1024;

    private static readonly PoolEndpoint Primary = new("127.0.0.1", 5001, "primary");
    private static readonly PoolEndpoint Standby = new("127.0.0.1", 5002, "standby");
    private static readonly PoolEndpoint Standby2 = new("127.0.0.1", 5003, "standby2");

    private EndpointFakePool _single = null!;
    private MultiHostPool<FakeConnection, EndpointFakePool.Lease> _multi = null!;
    private MultiHostPool<FakeConnection, EndpointFakePool.Lease> _adaptive = null!;
    private GeneratedMultiHostFakePool _generated = null!;
    private GeneratedMultiHostFakePool _balanced = null!;

    [GlobalSetup]
    public void Setup()
    {
        _single = new EndpointFakePool(Primary);
        _multi = Create(new RoundRobinBalancer());
        _adaptive = Create(new AdaptiveBalancer());
        _generated = new GeneratedMultiHostFakePool(Primary, Standby);
        _balanced = new GeneratedMultiHostFakePool(Primary, Standby, Standby2);
        foreach (var pool in new[] { _generated, _balanced })
        {
            pool.WarmUpAsync().AsTask().GetAwaiter().GetResult();
            pool.Rent(Workload.ReadWrite).Dispose();
            pool.Rent(Workload.ReadOnly).Dispose();
        }

        _single.Rent().Dispose();
        foreach (var pool in new[] { _multi, _adaptive })
        {
            pool.WarmUpAsync().AsTask().GetAwaiter().GetResult();
            pool.Rent(Workload.ReadWrite).Dispose();
            pool.Rent(Workload.ReadOnly).Dispose();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _single.Dispose();
        _multi.Dispose();
        _adaptive.Dispose();
        _generated.Dispose();
        _balanced.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "Single endpoint: Rent + Dispose")]
    public void Single()
    {
        for (int i = 0; i < Operations; i++)
        {
            using EndpointFakePool.Lease lease = _single.Rent();
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Multi-host, round-robin: Rent(ReadWrite) + Dispose")]
    public void MultiReadWrite()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _multi.Rent(Workload.ReadWrite);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Multi-host, round-robin: Rent(ReadOnly) + Dispose")]
    public void MultiReadOnly()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _multi.Rent(Workload.ReadOnly);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Generated multi-host class: Rent(ReadWrite) + Dispose")]
    public void GeneratedReadWrite()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _generated.Rent(Workload.ReadWrite);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Generated multi-host class: Rent(ReadOnly) + Dispose")]
    public void GeneratedReadOnly()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _generated.Rent(Workload.ReadOnly);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Generated multi-host class: Rent(ReadOnly) over two standbys + Dispose")]
    public void GeneratedBalanced()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _balanced.Rent(Workload.ReadOnly);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Single endpoint: await RentAsync + DisposeAsync")]
    public async Task SingleAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using EndpointFakePool.Lease lease = await _single.RentAsync(CancellationToken.None);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Multi-host, round-robin: await RentAsync(ReadOnly) + DisposeAsync")]
    public async Task MultiReadOnlyAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using var lease = await _multi.RentAsync(Workload.ReadOnly, CancellationToken.None);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Generated multi-host class: await RentAsync(ReadOnly) + DisposeAsync")]
    public async Task GeneratedReadOnlyAsync()
    {
        for (int i = 0; i < Operations; i++)
        {
            await using var lease = await _generated.RentAsync(Workload.ReadOnly, CancellationToken.None);
            _ = lease.Connection;
        }
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "Multi-host, adaptive: Rent(ReadOnly) + Dispose")]
    public void AdaptiveReadOnly()
    {
        for (int i = 0; i < Operations; i++)
        {
            using var lease = _adaptive.Rent(Workload.ReadOnly);
            _ = lease.Connection;
        }
    }

    private static MultiHostPool<FakeConnection, EndpointFakePool.Lease> Create(IEndpointBalancer balancer) =>
        new(
            new MultiHostOptions<FakeConnection>("bench", [Primary, Standby])
            {
                Balancer = balancer,
                RoleCheck = (_, endpoint, _) => new ValueTask<EndpointRole>(endpoint == Primary ? EndpointRole.Primary : EndpointRole.Standby),
                RecheckIntervalMs = 600_000,
            },
            endpoint => new EndpointFakePool(endpoint));
}

/// <summary>Endpoints declared as a generated multi-host class: its factory takes the endpoint; the first is the primary.</summary>
[ConnectionPool(Max = 4, Validate = nameof(IsAlive), RoleCheck = nameof(RoleOf))]
public sealed partial class GeneratedMultiHostFakePool(params PoolEndpoint[] endpoints)
{
    private static FakeConnection Create(PoolEndpoint endpoint) => new() { Port = endpoint.Port };

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

    private EndpointRole RoleOf(FakeConnection connection) =>
        connection.Port == endpoints[0].Port ? EndpointRole.Primary : EndpointRole.Standby;

    partial void ConfigurePool(PoolOptions options) => options.Endpoints = endpoints;

    partial void ConfigureHosts(MultiHostOptions<FakeConnection> options) => options.RecheckIntervalMs = 600_000;
}

/// <summary>The pool of one fake endpoint, configured as <see cref="FakeConnectionPool"/> is.</summary>
[ConnectionPool(Max = 4, Validate = nameof(IsAlive))]
public sealed partial class EndpointFakePool
{
    private readonly PoolEndpoint _endpoint;

    public EndpointFakePool(PoolEndpoint endpoint) => _endpoint = endpoint;

    private static FakeConnection Create() => new();

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

    partial void ConfigurePool(PoolOptions options) => options.Name = $"bench@{_endpoint}";
}
