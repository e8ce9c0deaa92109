using PoolGen.Tests.Fakes;

namespace PoolGen.Hosting.Tests.Infrastructure;

/// <summary>The pool the hosting tests register: a fake database behind it, settings from the test.</summary>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 2_000, ShutdownTimeoutMs = 5_000)]
public sealed partial class HostedDb
{
    public HostedDb(FakeDatabase database) => Database = database;

    public FakeDatabase Database { get; }

    /// <summary>What the class's own ConfigurePool saw, to check the order of configuration.</summary>
    public int? MaxSeenByConfigurePool { get; private set; }

    /// <summary>When set, the class's ConfigurePool overrides the name: code has the last word.</summary>
    public string? NameFromCode { get; set; }

    partial void ConfigurePool(PoolOptions options)
    {
        MaxSeenByConfigurePool = options.Max;
        if (NameFromCode is { } name)
        {
            options.Name = name;
        }
    }

    private ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken) => Database.OpenAsync(cancellationToken);
}
