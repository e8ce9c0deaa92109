namespace PoolGen.Tests.Fakes;

/// <summary>A pool with a synchronous factory, a validator and a reset; settings come from the test.</summary>
[ConnectionPool(Max = 2, AcquireTimeoutMs = 2_000, Validate = nameof(IsAlive), Reset = nameof(ResetConnection))]
public sealed partial class FakePool
{
    private readonly Action<PoolOptions>? _configure;

    public FakePool(FakeDatabase database, Action<PoolOptions>? configure = null)
    {
        Database = database;
        _configure = configure;
    }

    public FakeDatabase Database { get; }

    /// <summary>When set, the reset method throws it.</summary>
    public Exception? ResetFailure { get; set; }

    partial void ConfigurePool(PoolOptions options) => _configure?.Invoke(options);

    private FakeConnection Create() => Database.Open();

    private static bool IsAlive(FakeConnection connection) => !connection.Broken && !connection.Unresponsive && !connection.IsDisposed;

    private void ResetConnection(FakeConnection connection)
    {
        if (ResetFailure is { } failure)
        {
            throw failure;
        }

        connection.Resets++;
    }
}

/// <summary>A pool with an asynchronous factory that takes a token, and nothing else: the lean shape.</summary>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 2_000)]
public sealed partial class AsyncFakePool
{
    private readonly Action<PoolOptions>? _configure;

    public AsyncFakePool(FakeDatabase database, Action<PoolOptions>? configure = null)
    {
        Database = database;
        _configure = configure;
    }

    public FakeDatabase Database { get; }

    partial void ConfigurePool(PoolOptions options) => _configure?.Invoke(options);

    private ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken) => Database.OpenAsync(cancellationToken);
}

/// <summary>
/// A pool with an asynchronous validator a test can hold up, and an IsBroken check that reads
/// <see cref="FakeConnection.Broken"/>; it validates every idle connection (ValidateAfterIdleMs = 0).
/// </summary>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 2_000, Validate = nameof(IsAliveAsync), IsBroken = nameof(IsBroken), ValidateAfterIdleMs = 0)]
public sealed partial class CheckedFakePool
{
    private readonly Action<PoolOptions>? _configure;

    public CheckedFakePool(FakeDatabase database, Action<PoolOptions>? configure = null)
    {
        Database = database;
        _configure = configure;
    }

    public FakeDatabase Database { get; }

    /// <summary>When set, validations wait for it and ignore their token, like a query on a silently dropped connection.</summary>
    public TaskCompletionSource? ValidationGate { get; set; }

    /// <summary>When set, the IsBroken check throws it.</summary>
    public Exception? IsBrokenFailure { get; set; }

    /// <summary>How many validations have started, so a test can wait until one is under way.</summary>
    public int ValidationsStarted;

    partial void ConfigurePool(PoolOptions options) => _configure?.Invoke(options);

    private ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken) => Database.OpenAsync(cancellationToken);

    /// <summary>When set, each validation passes it its token first, as a provider registers its cancellation on it.</summary>
    public Action<CancellationToken>? OnValidationToken { get; set; }

    private async ValueTask<bool> IsAliveAsync(FakeConnection connection, CancellationToken cancellationToken)
    {
        OnValidationToken?.Invoke(cancellationToken);
        Interlocked.Increment(ref ValidationsStarted);
        if (ValidationGate is { } gate)
        {
            await gate.Task;
        }

        return !connection.Broken && !connection.Unresponsive && !connection.IsDisposed;
    }

    private bool IsBroken(FakeConnection connection) => IsBrokenFailure is { } failure ? throw failure : connection.Broken;
}
