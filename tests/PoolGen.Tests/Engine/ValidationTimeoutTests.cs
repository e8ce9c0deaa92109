using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

public sealed class ValidationTimeoutTests
{
    [Fact]
    public async Task RentAsync_WhenValidationHangs_GivesUpAfterTheValidationTimeoutAndOpensAnother()
    {
        var database = new FakeDatabase();
        await using var pool = new CheckedFakePool(database, o => o.ValidationTimeoutMs = 100);
        FakeConnection hung;
        await using (CheckedFakePool.Lease lease = await pool.RentAsync())
        {
            hung = lease.Connection;
        }

        // The validator ignores its token and never finishes; a new connection is not validated, so the rent gets one.
        var gate = new TaskCompletionSource();
        pool.ValidationGate = gate;
        var clock = Stopwatch.StartNew();
        await using CheckedFakePool.Lease next = await pool.RentAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        clock.Stop();
        gate.SetResult();

        Assert.NotSame(hung, next.Connection);
        Assert.Equal(1, hung.CloseCount);
        Assert.InRange(clock.ElapsedMilliseconds, 90, 5_000);
        Assert.Equal(1L, pool.Stats.ValidationFailures);
    }

    [Fact]
    public async Task Rent_WhenAnAsynchronousValidationHangs_IsBoundedToo()
    {
        var database = new FakeDatabase();
        await using var pool = new CheckedFakePool(database, o => o.ValidationTimeoutMs = 100);
        FakeConnection hung;
        using (CheckedFakePool.Lease lease = pool.Rent())
        {
            hung = lease.Connection;
        }

        var gate = new TaskCompletionSource();
        pool.ValidationGate = gate;
        Task<CheckedFakePool.Lease> renting = Task.Run(() => pool.Rent());

        // The sync rent's validation times out, the connection is closed, and the rent opens a new one (the factory
        // does not validate, so the gate does not hold it).
        using CheckedFakePool.Lease next = await renting.WaitAsync(TimeSpan.FromSeconds(5));
        gate.SetResult();

        Assert.NotSame(hung, next.Connection);
        Assert.Equal(1, hung.CloseCount);
        Assert.Equal(1L, pool.Stats.ValidationFailures);
    }
}
