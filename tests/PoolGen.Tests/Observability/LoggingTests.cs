using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Observability;

/// <summary>The pool's log lines keep their documented event ids, and a logger factory names the category after the pool.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task ALoggerFactory_GivesThePoolALoggerInItsOwnCategory_AndEveryEventHasItsDocumentedId()
    {
        var factory = new ListLoggerFactory();
        var database = new FakeDatabase();
        var pool = new FakePool(database, o =>
        {
            o.Name = "LoggedPool";
            o.LoggerFactory = factory;
            o.MaxRetryAttempts = 0;
            o.ShutdownTimeoutMs = 0;
        });

        FakePool.Lease a = pool.Rent();
        FakePool.Lease b = pool.Rent();
        Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.Zero));
        b.Invalidate();
        b.Dispose();
        database.FailWith = new InvalidOperationException("the database is down");
        Assert.Throws<PoolConnectionException>(() => pool.Rent());
        a.Dispose();
        await pool.DisposeAsync();

        Assert.Equal(["PoolGen.LoggedPool"], factory.Categories);
        var events = factory.Logger.Entries.Select(e => (e.EventId, e.Event, e.Level)).Distinct().ToList();
        Assert.Contains((10, "ConnectionOpened", LogLevel.Debug), events);
        Assert.Contains((11, "RentTimedOut", LogLevel.Warning), events);
        Assert.Contains((4, "ConnectionClosed", LogLevel.Debug), events);
        Assert.Contains((3, "OpenFailed", LogLevel.Warning), events);
        Assert.Contains((12, "ShutdownCompleted", LogLevel.Information), events);
        var closes = factory.Logger.MessagesOf("ConnectionClosed").ToList();
        Assert.Contains(closes, m => m.Contains("invalidated by its lease", StringComparison.Ordinal));
        Assert.Contains(closes, m => m.Contains("the pool is shutting down", StringComparison.Ordinal));
        Assert.Contains("'LoggedPool'", factory.Logger.MessagesOf("RentTimedOut").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ABurstOfTimeouts_IsOneLineNotOnePerRent()
    {
        var logger = new ListLogger();
        using var pool = new FakePool(new FakeDatabase(), o => { o.Logger = logger; o.Max = 1; });
        using FakePool.Lease held = pool.Rent();

        for (int i = 0; i < 50; i++)
        {
            Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.Zero));
        }

        Assert.Single(logger.MessagesOf("RentTimedOut"));
        Assert.Equal(50, pool.Stats.Timeouts);
    }

    [Fact]
    public void APoolGivenNoLogger_StaysSilentAndWorks()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Name = "Silent");
        pool.Rent().Dispose();
        Assert.Equal(1, pool.Stats.Rents);
    }
}
