namespace PoolGen.Benchmarks;

/// <summary>
/// The generated pool of <see cref="FakeConnectionPool"/> with its <c>Max</c> chosen at runtime, for benchmarks that
/// vary the pool's size.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(IsAlive))]
public sealed partial class SizedFakeConnectionPool
{
    private readonly int _max;

    public SizedFakeConnectionPool(int max) => _max = max;

    private static FakeConnection Create() => new();

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

    partial void ConfigurePool(PoolOptions options) => options.Max = _max;
}
