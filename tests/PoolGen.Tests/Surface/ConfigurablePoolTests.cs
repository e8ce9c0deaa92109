using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Surface;

/// <summary>
/// <see cref="IConfigurablePool"/>: outside code (dependency injection) configures a pool before its first use, after the
/// attribute and before the class's own ConfigurePool, and is refused once the pool is in use.
/// </summary>
public sealed class ConfigurablePoolTests
{
    [Fact]
    public void Configure_RunsAfterTheAttributeAndBeforeConfigurePool()
    {
        var order = new List<string>();
        using var pool = new FakePool(new FakeDatabase(), options =>
        {
            order.Add($"ConfigurePool sees Max {options.Max}");
            options.AcquireTimeoutMs = 1_234;
        });
        IConfigurablePool configurable = pool;

        configurable.Configure(options =>
        {
            order.Add($"first sees Max {options.Max}");
            options.Max = 7;
            options.AcquireTimeoutMs = 99;
        });
        configurable.Configure(options => order.Add($"second sees Max {options.Max}"));

        PoolOptions created = configurable.GetOptions();
        Assert.Equal(new[] { "first sees Max 2", "second sees Max 7", "ConfigurePool sees Max 7" }, order);
        Assert.Equal(7, created.Max);
        Assert.Equal(1_234, created.AcquireTimeoutMs); // the class's ConfigurePool has the last word
        Assert.Equal(7, pool.Stats.Max);
    }

    [Fact]
    public void Configure_AfterFirstUse_ThrowsNamingThePool()
    {
        using var pool = new FakePool(new FakeDatabase(), options => options.Name = "orders-primary");
        IConfigurablePool configurable = pool;
        Assert.False(configurable.IsCreated);

        _ = pool.Stats;

        Assert.True(configurable.IsCreated);
        var error = Assert.Throws<InvalidOperationException>(() => configurable.Configure(options => options.Max = 1));
        Assert.Contains("'orders-primary'", error.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, pool.Stats.Max);
    }

    [Fact]
    public void Configure_WhenTheActionThrows_FailsThatUseAndRunsAgainOnTheNext()
    {
        int calls = 0;
        using var pool = new FakePool(new FakeDatabase());
        ((IConfigurablePool)pool).Configure(_ =>
        {
            if (++calls == 1)
            {
                throw new InvalidOperationException("configuration not loaded yet");
            }
        });

        Assert.Throws<InvalidOperationException>(() => pool.Stats);
        Assert.False(((IConfigurablePool)pool).IsCreated);
        Assert.Equal("FakePool", pool.Stats.Name);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Configure_RacingTheFirstUse_EitherRunsOnceOrIsRefused()
    {
        for (int round = 0; round < 50; round++)
        {
            using var pool = new FakePool(new FakeDatabase());
            using var start = new Barrier(2);
            int runs = 0;
            Task<bool> configure = Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    try
                    {
                        ((IConfigurablePool)pool).Configure(options =>
                        {
                            Interlocked.Increment(ref runs);
                            options.Max = 5;
                        });
                        return true;
                    }
                    catch (InvalidOperationException)
                    {
                        return false;
                    }
                },
                TaskCreationOptions.LongRunning);
            Task<int> use = Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return pool.Stats.Max;
                },
                TaskCreationOptions.LongRunning);

            bool accepted = await configure;
            int max = await use;

            // Accepted means it ran when the pool was created; refused means the pool already existed without it.
            Assert.Equal(accepted ? 1 : 0, runs);
            Assert.Equal(accepted ? 5 : 2, max);
            Assert.Equal(accepted ? 5 : 2, pool.Stats.Max);
        }
    }

    [Fact]
    public void GetOptions_ReturnsACopyOfTheOptionsThePoolWasCreatedWith()
    {
        using var pool = new FakePool(new FakeDatabase(), options => options.IdleTimeoutMs = 42);
        IConfigurablePool configurable = pool;

        PoolOptions first = configurable.GetOptions();
        first.IdleTimeoutMs = 1;

        Assert.True(configurable.IsCreated);
        Assert.Equal(42, configurable.GetOptions().IdleTimeoutMs);
        Assert.NotSame(first, configurable.GetOptions());
    }

    [Fact]
    public void GetOptions_OfAMisconfiguredPool_ThrowsWhatRentsThrow()
    {
        using var pool = new FakePool(new FakeDatabase());
        ((IConfigurablePool)pool).Configure(options => options.AcquireTimeoutMs = -5);

        var invalid = Assert.Throws<InvalidOperationException>(() => ((IConfigurablePool)pool).GetOptions());
        var rent = Assert.Throws<InvalidOperationException>(() => pool.Rent());

        Assert.Contains("AcquireTimeoutMs of 'FakePool' is -5", invalid.Message, StringComparison.Ordinal);
        Assert.Equal(rent.Message, invalid.Message);
        Assert.IsType<ArgumentOutOfRangeException>(invalid.InnerException);
    }

    [Fact]
    public async Task Dispose_BeforeFirstUse_RunsNoConfiguration_AndLeavesADisposedPool()
    {
        int configured = 0;
        var pool = new FakePool(new FakeDatabase(), _ => configured++);
        ((IConfigurablePool)pool).Configure(_ => configured++);

        await pool.DisposeAsync();
        pool.Dispose();

        // The configuration may need what its owner has already disposed (a container's services): it does not run.
        Assert.Equal(0, configured);
        var rent = Assert.Throws<ObjectDisposedException>(() => pool.Rent());
        Assert.Contains("Pool 'FakePool' has been disposed", rent.Message, StringComparison.Ordinal);
        Assert.Equal(PoolHealthStatus.Unhealthy, pool.GetHealth().Status);
        Assert.DoesNotContain(pool, PoolRegistry.Default.GetPools());
    }

    [Fact]
    public void Configure_WithNull_Throws()
    {
        using var pool = new FakePool(new FakeDatabase());

        Assert.Throws<ArgumentNullException>(() => ((IConfigurablePool)pool).Configure(null!));
    }
}
