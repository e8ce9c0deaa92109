namespace PoolGen.Tests.Fakes;

/// <summary>
/// A pool with a synchronous factory, validator and close whose failures a test can switch on; it validates every idle
/// connection (ValidateAfterIdleMs = 0).
/// </summary>
[ConnectionPool(Max = 2, AcquireTimeoutMs = 2_000, Validate = nameof(IsAlive), Close = nameof(CloseConnection), ValidateAfterIdleMs = 0)]
public sealed partial class FaultyFakePool
{
    private readonly Action<PoolOptions>? _configure;

    public FaultyFakePool(FakeDatabase database, Action<PoolOptions>? configure = null)
    {
        Database = database;
        _configure = configure;
    }

    public FakeDatabase Database { get; }

    /// <summary>When set, the validator throws it.</summary>
    public Exception? ValidateFailure { get; set; }

    /// <summary>When set, the close method throws it, after closing the connection.</summary>
    public Exception? CloseFailure { get; set; }

    partial void ConfigurePool(PoolOptions options) => _configure?.Invoke(options);

    private FakeConnection Create() => Database.Open();

    private bool IsAlive(FakeConnection connection) =>
        ValidateFailure is { } failure ? throw failure : !connection.Broken && !connection.Unresponsive && !connection.IsDisposed;

    private void CloseConnection(FakeConnection connection)
    {
        connection.Dispose();
        if (CloseFailure is { } failure)
        {
            throw failure;
        }
    }
}
