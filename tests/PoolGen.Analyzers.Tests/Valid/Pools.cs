// Pools configured the ways the README shows: every one of them must get a pool and raise nothing.
namespace Valid;

[ConnectionPool(Min = 2, Max = 50, Validate = nameof(IsAlive), Reset = nameof(ResetAsync), AcquireTimeoutMs = 5_000)]
public sealed partial class OrdersDb
{
    private FakeConnection Create() => new FakeConnection();

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

    private ValueTask ResetAsync(FakeConnection connection, CancellationToken cancellationToken) => default;
}

[ConnectionPool(Factory = nameof(Open), Close = nameof(Shut), IdleTimeoutMs = 0, MaxLifetimeMs = 0, ValidateAfterIdleMs = 0, ShutdownTimeoutMs = 0)]
public sealed partial class ReportsDb
{
    private Task<FakeConnection> Open(CancellationToken cancellationToken) => Task.FromResult(new FakeConnection());

    private static void Shut(FakeConnection connection) => connection.Close();
}

public static partial class Databases
{
    [ConnectionPool(Max = 1_048_576)]
    public sealed partial class AuditDb
    {
        [PoolFactory]
        private static async ValueTask<IDisposable> ConnectAsync()
        {
            await Task.Yield();
            return new FakeConnection();
        }
    }
}

[ConnectionPool(Min = 100)]
public partial record CacheDb
{
    private FakeConnection CreateConnection() => new FakeConnection();

    private FakeConnection Create(string name) => new FakeConnection(); // another shape: not a candidate
}

// Dispose members of its own: the pool's are DisposePool/DisposePoolAsync. ConfigurePool is the class's to implement.
[ConnectionPool]
public sealed partial class OwningDb : IAsyncDisposable
{
    private FakeConnection Create() => new FakeConnection();

    public async ValueTask DisposeAsync() => await DisposePoolAsync();

    partial void ConfigurePool(PoolOptions options) => options.Max = 8;
}

// A Dispose that takes parameters is an overload beside the generated Dispose(), not a clash with it.
[ConnectionPool]
public partial class LayeredDb
{
    private FakeConnection Create() => new FakeConnection();

    protected virtual void Dispose(bool disposing)
    {
    }
}
