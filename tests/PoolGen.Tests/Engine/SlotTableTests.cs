using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>The slot table on its own: room against Max, taking idle slots, installing connections, generations, growth.</summary>
public sealed class SlotTableTests
{
    [Fact]
    public void TryReserve_UpToMax_ThenRefuses()
    {
        var table = NewTable(max: 3);
        int disposed = 0;

        Assert.True(table.TryReserve(ref disposed));
        Assert.True(table.TryReserve(ref disposed));
        Assert.True(table.TryReserve(ref disposed));
        Assert.False(table.TryReserve(ref disposed));

        Assert.Equal((3, 3), (table.Reserved, table.Opening));
    }

    [Fact]
    public void TryReserve_WhenTheEngineIsDisposed_Refuses()
    {
        var table = NewTable(max: 3);
        int disposed = 1;

        Assert.False(table.TryReserve(ref disposed));
        Assert.Equal((0, 0), (table.Reserved, table.Opening));
    }

    [Fact]
    public void TryReserve_WithMaxConcurrentOpens_RefusesUntilAnOpenEnds()
    {
        var table = NewTable(max: 3, maxConcurrentOpens: 1);
        int disposed = 0;
        Assert.True(table.TryReserve(ref disposed));

        Assert.False(table.TryReserve(ref disposed));
        Assert.Equal((1, 1), (table.Reserved, table.Opening));

        table.Install(new FakeConnection(1), nowMs: 0, expiresAtMs: long.MaxValue);
        Assert.True(table.TryReserve(ref disposed));
        Assert.Equal((2, 1), (table.Reserved, table.Opening));
    }

    [Fact]
    public void Unreserve_GivesRoomBack()
    {
        var table = NewTable(max: 1);
        int disposed = 0;
        Assert.True(table.TryReserve(ref disposed));
        table.OpenEnded();

        Assert.Equal(0, table.Unreserve());
        Assert.True(table.TryReserve(ref disposed));
    }

    [Fact]
    public void Install_PutsTheConnectionInTheFirstEmptySlotAndLeavesItBusy()
    {
        var table = NewTable(max: 2);
        var connection = new FakeConnection(1);
        Reserve(ref table);

        (PoolSlot<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> slot, int token) =
            table.Install(connection, nowMs: 5, expiresAtMs: 100);

        Assert.Same(table.Slots[0], slot);
        Assert.Same(connection, slot.Connection);
        Assert.Equal((5L, 100L), (slot.LastUsedMs, slot.ExpiresAtMs));
        Assert.Equal(SlotState.Busy, slot.State);
        Assert.Equal(SlotState.Pack(token, SlotState.Busy), slot.Word);
        Assert.Equal(0, table.Opening);
    }

    [Fact]
    public void TryTakeIdle_TakesTheLowestIdleSlotFirst()
    {
        var table = NewTable(max: 3);
        var installed = new (PoolSlot<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> Slot, int Token)[3];
        for (int i = 0; i < installed.Length; i++)
        {
            Reserve(ref table);
            installed[i] = table.Install(new FakeConnection(i), nowMs: 0, expiresAtMs: long.MaxValue);
        }

        MakeIdle(installed[2]);
        MakeIdle(installed[1]);

        Assert.True(table.TryTakeIdle(out var first, out int firstToken));
        Assert.Same(installed[1].Slot, first);
        Assert.Equal(installed[1].Token, firstToken);
        Assert.Equal(SlotState.Leased, first.State);

        MakeIdle(installed[0]);
        Assert.True(table.TryTakeIdle(out var second, out _));
        Assert.Same(installed[0].Slot, second);

        Assert.True(table.TryTakeIdle(out var third, out _));
        Assert.Same(installed[2].Slot, third);
        Assert.False(table.TryTakeIdle(out _, out _));
    }

    [Fact]
    public void TryTakeIdle_OnAnEmptyTable_FindsNothing()
    {
        var table = NewTable(max: 2);

        Assert.False(table.TryTakeIdle(out var slot, out int token));
        Assert.Null(slot);
        Assert.Equal(0, token);
    }

    [Fact]
    public void TryTakeForEngine_TakesOnlyAnIdleSlot()
    {
        var table = NewTable(max: 1);
        Reserve(ref table);
        var installed = table.Install(new FakeConnection(1), nowMs: 0, expiresAtMs: long.MaxValue);

        Assert.False(table.TryTakeForEngine(installed.Slot, out _));

        MakeIdle(installed);
        Assert.True(table.TryTakeForEngine(installed.Slot, out int token));
        Assert.Equal(installed.Token, token);
        Assert.Equal(SlotState.Busy, installed.Slot.State);
        Assert.False(table.TryTakeIdle(out _, out _));
    }

    [Fact]
    public void NewGeneration_NewConnectionsCarryTheNewOneAndOldOnesTheOld()
    {
        var table = NewTable(max: 2);
        Reserve(ref table);
        var before = table.Install(new FakeConnection(1), nowMs: 0, expiresAtMs: long.MaxValue);

        table.NewGeneration();
        Reserve(ref table);
        var after = table.Install(new FakeConnection(2), nowMs: 0, expiresAtMs: long.MaxValue);

        Assert.Equal(1, table.Generation);
        Assert.Equal(0, before.Slot.Generation);
        Assert.Equal(1, after.Slot.Generation);
    }

    [Fact]
    public void Resize_RaisingMaxBeyondTheArray_GrowsItAndKeepsTheSlots()
    {
        PoolEngine<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> owner = NewOwner();
        var table = new SlotTable<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy>(owner, min: 0, max: 2, maxConcurrentOpens: 0);
        var original = table.Slots;

        table.Resize(owner, min: 1, max: 4);

        Assert.Equal((1, 4, 4), (table.Min, table.Max, table.Slots.Length));
        Assert.Same(original[0], table.Slots[0]);
        Assert.Same(original[1], table.Slots[1]);
        Assert.All(table.Slots, slot => Assert.Same(owner, slot.Owner));

        table.Resize(owner, min: 0, max: 1);
        Assert.Equal((1, 4), (table.Max, table.Slots.Length));
    }

    private static SlotTable<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> NewTable(int max, int maxConcurrentOpens = 0) =>
        new(NewOwner(), min: 0, max, maxConcurrentOpens);

    /// <summary>The engine slots belong to; the table itself never calls it.</summary>
    private static PoolEngine<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> NewOwner() =>
        new(new PoolOptions(nameof(SlotTableTests)), new FakePool.ConnectionPoolPolicy(new FakePool(new FakeDatabase())));

    private static void Reserve(ref SlotTable<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> table)
    {
        int disposed = 0;
        Assert.True(table.TryReserve(ref disposed));
    }

    /// <summary>Publishes an installed (busy) slot as idle, as the engine does once it has checked it.</summary>
    private static void MakeIdle((PoolSlot<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> Slot, int Token) installed) =>
        Volatile.Write(ref installed.Slot.Word, SlotState.Pack(installed.Token, SlotState.Idle));
}
