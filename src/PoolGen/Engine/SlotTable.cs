using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PoolGen;

/// <summary>
/// The pool's slots and the room in them: the slot array and its growth, how far scans for idle slots go, Min and Max,
/// how many slots are taken or being filled, and the generation that <c>Clear</c> moves on. Taking an idle slot (for a
/// rent, or for the engine to check or close) and putting a new connection into an empty slot happen here, each by one
/// compare-and-swap on the slot's word. It runs no user code and takes no lock.
/// </summary>
/// <remarks>
/// <para>
/// A struct kept in a field of the engine, never copied: a rent reads the slot array and the scan limit, a return reads
/// the generation, the room and Max, and as fields of the engine itself those reads cost no extra indirection.
/// </para>
/// <para>
/// Invariants: a slot is owned by exactly one party at a time (the idle set, one lease, or the engine while
/// <see cref="SlotState.Busy"/>), and ownership moves only by a compare-and-swap on the slot's word;
/// <see cref="Reserved"/> counts every slot that is not empty (open or being opened), so it never exceeds Max for
/// longer than a concurrent <see cref="Resize"/>.
/// </para>
/// </remarks>
internal struct SlotTable<TConnection, TLease, TPolicy>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    /// <summary>Every slot; replaced by a longer copy when <see cref="Resize"/> raises Max beyond its length.</summary>
    private PoolSlot<TConnection, TLease, TPolicy>[] _slots;

    /// <summary>One past the highest slot index ever used: scans for idle slots stop there.</summary>
    private int _scanLimit;

    private int _min;
    private int _max;

    /// <summary>Slots that are not empty: open connections plus those being opened. Bounded by <see cref="_max"/>.</summary>
    private int _reserved;

    /// <summary>Reservations not yet turned into open connections: factory calls in flight or about to start.</summary>
    private int _opening;

    /// <summary>Moved on by <see cref="NewGeneration"/>; a connection from an older generation is closed instead of reused.</summary>
    private int _generation;

    /// <summary>How many opens may run at once; 0 for no limit.</summary>
    private readonly int _maxConcurrentOpens;

    /// <summary>Creates a table of <paramref name="max"/> empty slots that belong to <paramref name="owner"/>.</summary>
    public SlotTable(PoolEngine<TConnection, TLease, TPolicy> owner, int min, int max, int maxConcurrentOpens)
    {
        _slots = Grow(owner, [], max);
        _min = min;
        _max = max;
        _maxConcurrentOpens = maxConcurrentOpens;
    }

    /// <summary>Every slot, for a scan; a <see cref="Resize"/> may replace the array, never shorten it.</summary>
    public PoolSlot<TConnection, TLease, TPolicy>[] Slots => Volatile.Read(ref _slots);

    /// <summary>The connections the pool keeps open, at least.</summary>
    public int Min => Volatile.Read(ref _min);

    /// <summary>The slots that may hold a connection, open or being opened, at most.</summary>
    public int Max => Volatile.Read(ref _max);

    /// <summary>Slots that are not empty: open connections plus those being opened.</summary>
    public int Reserved => Volatile.Read(ref _reserved);

    /// <summary>Reservations not yet turned into open connections.</summary>
    public int Opening => Volatile.Read(ref _opening);

    /// <summary>The current generation; a slot whose connection is of an older one is closed instead of reused.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Moves to the next generation: every connection open now is closed instead of reused.</summary>
    public void NewGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>
    /// Sets Min and Max, first growing the slot array when Max passes its length. The caller serializes resizes (the
    /// engine holds the waiter queue's lock): two at once would each copy the old array, and one would lose the slots
    /// the other added, with any connection installed in them meanwhile.
    /// </summary>
    public void Resize(PoolEngine<TConnection, TLease, TPolicy> owner, int min, int max)
    {
        PoolSlot<TConnection, TLease, TPolicy>[] slots = _slots;
        if (max > slots.Length)
        {
            Volatile.Write(ref _slots, Grow(owner, slots, max));
        }

        Volatile.Write(ref _min, min);
        Interlocked.Exchange(ref _max, max);
    }

    /// <summary>Scans the used slots, lowest first, and takes the first idle one; the low slots stay warm, the high ones age out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryTakeIdle([NotNullWhen(true)] out PoolSlot<TConnection, TLease, TPolicy>? taken, out int token)
    {
        PoolSlot<TConnection, TLease, TPolicy>[] slots = Volatile.Read(ref _slots);
        int limit = Math.Min(Volatile.Read(ref _scanLimit), slots.Length);
        for (int i = 0; i < limit; i++)
        {
            PoolSlot<TConnection, TLease, TPolicy> slot = slots[i];
            long word = Volatile.Read(ref slot.Word);
            if (SlotState.StateOf(word) == SlotState.Idle
                && Interlocked.CompareExchange(ref slot.Word, word + (SlotState.Leased - SlotState.Idle), word) == word)
            {
                taken = slot;
                token = SlotState.TokenOf(word);
                return true;
            }
        }

        taken = null;
        token = 0;
        return false;
    }

    /// <summary>Counts the slots by state, and their rents, in one scan; a snapshot that concurrent changes may blur.</summary>
    public SlotCounts Count()
    {
        int idle = 0, leased = 0, busy = 0, busyOpen = 0;
        long rents = 0;
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Slots)
        {
            switch (slot.State)
            {
                case SlotState.Idle: idle++; break;
                case SlotState.Leased: leased++; break;
                case SlotState.Busy:
                    busy++;
                    busyOpen += slot.Connection is null ? 0 : 1;
                    break;
            }

            rents += Volatile.Read(ref slot.Rents);
        }

        return new SlotCounts(idle, leased, busy, busyOpen, rents);
    }

    /// <summary>Moves an idle slot to <see cref="SlotState.Busy"/> so the engine may close or check it.</summary>
    public readonly bool TryTakeForEngine(PoolSlot<TConnection, TLease, TPolicy> slot, out int token)
    {
        long word = Volatile.Read(ref slot.Word);
        token = SlotState.TokenOf(word);
        return SlotState.StateOf(word) == SlotState.Idle
            && Interlocked.CompareExchange(ref slot.Word, SlotState.Pack(token, SlotState.Busy), word) == word;
    }

    /// <summary>
    /// Claims room for one more connection if the pool is below Max, fewer than MaxConcurrentOpens are being opened,
    /// and <paramref name="disposed"/> (the engine's flag, read again on every attempt) is still 0; the caller must then
    /// open one.
    /// </summary>
    public bool TryReserve(ref int disposed)
    {
        if (_maxConcurrentOpens != 0 && !TryClaimOpen())
        {
            return false;
        }

        while (true)
        {
            int reserved = Volatile.Read(ref _reserved);
            if (reserved >= Volatile.Read(ref _max) || Volatile.Read(ref disposed) != 0)
            {
                if (_maxConcurrentOpens != 0)
                {
                    Interlocked.Decrement(ref _opening);
                }

                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                // Every reservation is followed by an open: count it as opening from here, so Total never includes it.
                if (_maxConcurrentOpens == 0)
                {
                    Interlocked.Increment(ref _opening);
                }

                return true;
            }
        }
    }

    /// <summary>
    /// Gives back room claimed by <see cref="TryReserve"/> or held by a closed connection; returns the room still
    /// taken. The decrement is a full fence, so the caller's reads after it (the waiter count) cannot move before it.
    /// </summary>
    public int Unreserve() => Interlocked.Decrement(ref _reserved);

    /// <summary>An open counted by <see cref="TryReserve"/> ended without a connection; its room is given back separately.</summary>
    public void OpenEnded() => Interlocked.Decrement(ref _opening);

    /// <summary>
    /// Puts a freshly opened connection into an empty slot, which the caller then owns as <see cref="SlotState.Busy"/>,
    /// and counts its open as ended. Room was reserved, so an empty slot exists; the loop only covers a concurrent
    /// <see cref="Resize"/> that replaced the slot array under us.
    /// </summary>
    public (PoolSlot<TConnection, TLease, TPolicy> Slot, int Token) Install(TConnection connection, long nowMs, long expiresAtMs)
    {
        while (true)
        {
            PoolSlot<TConnection, TLease, TPolicy>[] slots = Volatile.Read(ref _slots);
            for (int i = 0; i < slots.Length; i++)
            {
                PoolSlot<TConnection, TLease, TPolicy> slot = slots[i];
                long word = Volatile.Read(ref slot.Word);
                if (SlotState.StateOf(word) != SlotState.Empty
                    || Interlocked.CompareExchange(ref slot.Word, word + (SlotState.Busy - SlotState.Empty), word) != word)
                {
                    continue;
                }

                slot.Connection = connection;
                slot.LastUsedMs = nowMs;
                slot.OpenedAtMs = nowMs;
                slot.ExpiresAtMs = expiresAtMs;
                slot.Generation = Volatile.Read(ref _generation);
                RaiseScanLimit(i + 1);
                Interlocked.Decrement(ref _opening);
                return (slot, SlotState.TokenOf(word));
            }
        }
    }

    /// <summary>
    /// With MaxConcurrentOpens set, an open is counted before room is claimed, so that the limit holds exactly however
    /// many threads reserve at once.
    /// </summary>
    private bool TryClaimOpen()
    {
        while (true)
        {
            int opening = Volatile.Read(ref _opening);
            if (opening >= _maxConcurrentOpens)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _opening, opening + 1, opening) == opening)
            {
                return true;
            }
        }
    }

    private void RaiseScanLimit(int limit)
    {
        int current;
        while ((current = Volatile.Read(ref _scanLimit)) < limit)
        {
            Interlocked.CompareExchange(ref _scanLimit, limit, current);
        }
    }

    /// <summary>A copy of <paramref name="existing"/> lengthened to <paramref name="length"/> with new empty slots.</summary>
    private static PoolSlot<TConnection, TLease, TPolicy>[] Grow(
        PoolEngine<TConnection, TLease, TPolicy> owner, PoolSlot<TConnection, TLease, TPolicy>[] existing, int length)
    {
        var slots = new PoolSlot<TConnection, TLease, TPolicy>[length];
        Array.Copy(existing, slots, existing.Length);
        for (int i = existing.Length; i < length; i++)
        {
            slots[i] = new PoolSlot<TConnection, TLease, TPolicy>(owner);
        }

        return slots;
    }
}
