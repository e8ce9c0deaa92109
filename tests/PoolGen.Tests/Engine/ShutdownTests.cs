using Microsoft.Extensions.Logging;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>Shutting down says what it waits for, and says so again when it stops waiting.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task DisposeAsync_WithALeaseOut_LogsWhatItWaitsForThenThatItStoppedWaiting()
    {
        var logger = new ListLogger();
        var pool = new FakePool(new FakeDatabase(), o => { o.Logger = logger; o.ShutdownTimeoutMs = 200; });
        FakePool.Lease held = pool.Rent();
        FakeConnection connection = held.Connection;

        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var lines = logger.AtOrAbove(LogLevel.Information);
        Assert.Equal(3, lines.Count);
        Assert.Equal(LogLevel.Information, lines[0].Level);
        Assert.Contains("Pool 'FakePool'", lines[0].Message);
        Assert.Contains("200 ms for 1 lease(s)", lines[0].Message);
        Assert.Contains("Set LeakThresholdMs", lines[0].Message);
        Assert.Equal(LogLevel.Warning, lines[1].Level);
        Assert.Contains("stopped waiting", lines[1].Message);
        Assert.Contains("1 lease(s) still out", lines[1].Message);
        Assert.Equal(("ShutdownCompleted", LogLevel.Information), (lines[2].Event, lines[2].Level));
        Assert.Contains("1 lease(s) still out", lines[2].Message);

        // The lease still out closes its connection when it comes back.
        held.Dispose();
        Assert.Equal(1, connection.CloseCount);
    }

    [Fact]
    public async Task DisposeAsync_WithLeakTrackingOn_NamesWhereTheLeaseStillOutWasRented()
    {
        var logger = new ListLogger();
        var pool = new FakePool(new FakeDatabase(), o => { o.Logger = logger; o.ShutdownTimeoutMs = 200; o.LeakThresholdMs = 60_000; });
        FakePool.Lease held = pool.Rent();

        await pool.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        var lines = logger.AtOrAbove(LogLevel.Information);
        Assert.Equal(3, lines.Count);
        Assert.Contains("1 lease", lines[0].Message);
        Assert.Contains(nameof(DisposeAsync_WithLeakTrackingOn_NamesWhereTheLeaseStillOutWasRented), lines[0].Message);
        Assert.Contains("stopped waiting", lines[1].Message);
        held.Dispose();
    }

    [Fact]
    public void ShutdownTimeoutMs_DefaultsToFiveSecondsToFitOrchestratorGracePeriods()
    {
        Assert.Equal(5_000, PoolDefaults.ShutdownTimeoutMs);
        Assert.Equal(5_000, new PoolOptions("orders").ShutdownTimeoutMs);
        Assert.Equal(5_000, new ConnectionPoolAttribute().ShutdownTimeoutMs);
    }
}
