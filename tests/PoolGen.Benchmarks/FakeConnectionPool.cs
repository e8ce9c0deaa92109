namespace PoolGen.Benchmarks;

/// <summary>
/// The generated pool under measurement, configured as a real one would be: a validator (a trivial one, so the
/// benchmark measures the pool rather than the check) and the default <c>ValidateAfterIdleMs</c>, which skips
/// validation for a connection used within the last 500 ms.
/// </summary>
[ConnectionPool(Max = 4, Validate = nameof(IsAlive))]
public sealed partial class FakeConnectionPool
{
    private static FakeConnection Create() => new();

    private static bool IsAlive(FakeConnection connection) => connection.IsOpen;
}
