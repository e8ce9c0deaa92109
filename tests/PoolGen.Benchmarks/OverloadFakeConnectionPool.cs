namespace PoolGen.Benchmarks;

/// <summary>
/// The generated pool the overload mode drives: 4 fake connections, with load shedding on or off. Nothing else is
/// configured, so both runs differ in that one setting.
/// </summary>
[ConnectionPool(Max = 4)]
public sealed partial class OverloadFakeConnectionPool
{
    private readonly bool _shedLoad;

    public OverloadFakeConnectionPool(bool shedLoad) => _shedLoad = shedLoad;

    private static FakeConnection Create() => new();

    partial void ConfigurePool(PoolOptions options) => options.ShedLoad = _shedLoad;
}
