using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>
/// A connection handed to a waiting rent is validated for it (ValidateAfterIdleMs = 0); that validation ends at the
/// rent's deadline, not at the pool's validation timeout (5 s here), however long the validator hangs.
/// </summary>
public sealed class HandOffValidationTests
{
    [Fact]
    public async Task RentAsync_WhenTheConnectionHandedToItIsValidatedPastItsDeadline_TimesOutAtItsOwnDeadlineAndClosesTheConnection()
    {
        var time = new FakeTimeProvider();
        await using var pool = new CheckedFakePool(new FakeDatabase(), o =>
        {
            o.Max = 1;
            o.TimeProvider = time;
            o.ValidationTimeoutMs = 5_000;

            // A failed assertion must not leave disposal waiting for a lease on a clock that never moves.
            o.ShutdownTimeoutMs = 0;
        });
        CheckedFakePool.Lease held = await pool.RentAsync();
        FakeConnection handed = held.Connection;
        Task<CheckedFakePool.Lease> waiting = pool.RentAsync(TimeSpan.FromMilliseconds(100)).AsTask();
        await Eventually.True(() => pool.Stats.Pending == 1);
        var gate = new TaskCompletionSource();
        pool.ValidationGate = gate;
        try
        {
            await held.DisposeAsync();
            await Eventually.True(() => Volatile.Read(ref pool.ValidationsStarted) == 1, "the waiter's validation started");
            time.Advance(TimeSpan.FromMilliseconds(100));
            var clock = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<PoolTimeoutException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(3)));

            Assert.InRange(clock.ElapsedMilliseconds, 0, 1_000);
            Assert.Equal(TimeSpan.FromMilliseconds(100), error.Waited);
            await Eventually.True(() => handed.CloseCount == 1, "the connection whose validation was cut short is closed");
        }
        finally
        {
            pool.ValidationGate = null;
            gate.TrySetResult();
        }

        await using CheckedFakePool.Lease next = await pool.RentAsync(TimeSpan.FromSeconds(5)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotSame(handed, next.Connection);
        Assert.Equal((1, 1, 0), (pool.Stats.Total, pool.Stats.Leased, pool.Stats.Pending));
    }

    [Fact]
    public async Task Rent_WhenTheConnectionHandedToItIsValidatedPastItsDeadline_TimesOutAtItsOwnDeadlineAndClosesTheConnection()
    {
        var time = new FakeTimeProvider();
        using var pool = new CheckedFakePool(new FakeDatabase(), o => { o.Max = 1; o.TimeProvider = time; o.ValidationTimeoutMs = 5_000; });
        CheckedFakePool.Lease held = pool.Rent();
        FakeConnection handed = held.Connection;

        // The rent's 2 s run on the fake clock for its validation, and on the real one for its wait: the hand-off below
        // comes well within them.
        Task<PoolTimeoutException> waiting = Task.Run(() => Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.FromSeconds(2))));
        await Eventually.True(() => pool.Stats.Pending == 1);
        var gate = new TaskCompletionSource();
        pool.ValidationGate = gate;
        try
        {
            held.Dispose();
            await Eventually.True(() => Volatile.Read(ref pool.ValidationsStarted) == 1, "the waiter's validation started");
            time.Advance(TimeSpan.FromSeconds(2));
            var clock = Stopwatch.StartNew();

            PoolTimeoutException error = await waiting.WaitAsync(TimeSpan.FromSeconds(3));

            Assert.InRange(clock.ElapsedMilliseconds, 0, 1_000);
            Assert.Equal(TimeSpan.FromSeconds(2), error.Waited);
            await Eventually.True(() => handed.CloseCount == 1, "the connection whose validation was cut short is closed");
        }
        finally
        {
            pool.ValidationGate = null;
            gate.TrySetResult();
        }

        using CheckedFakePool.Lease next = pool.Rent(TimeSpan.FromSeconds(5));
        Assert.NotSame(handed, next.Connection);
        Assert.Equal((1, 1, 0), (pool.Stats.Total, pool.Stats.Leased, pool.Stats.Pending));
    }
}
