namespace PoolGen;

/// <summary>One scan of the slots: how many are in each state, and the rents they have served.</summary>
/// <param name="Idle">Slots holding an idle connection.</param>
/// <param name="Leased">Slots whose connection is lent.</param>
/// <param name="Busy">Slots the engine holds to check, open or close.</param>
/// <param name="BusyOpen">Of those, the ones that hold a connection (being checked or closed, not yet opened).</param>
/// <param name="Rents">Rents served from all slots.</param>
internal readonly record struct SlotCounts(int Idle, int Leased, int Busy, int BusyOpen, long Rents)
{
    /// <summary>Connections in use: lent, or held by the engine to check or close.</summary>
    public int Used => Leased + BusyOpen;

    /// <summary>Open connections, whatever their state.</summary>
    public int Open => Idle + Leased + BusyOpen;
}
