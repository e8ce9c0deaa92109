using System;
using System.Runtime.CompilerServices;

namespace PoolGen;

/// <summary>
/// A multi-host pool's fast routes: per workload, its only candidate's pool, or a row of <see cref="RowLength"/>
/// endpoint pools that lists the workload's candidates in turn and a turn counter for the row. Taking a turn is an increment and an index, with no
/// division, balancer call or pointer to follow, so a routed rent costs about one memory read more than a single-server
/// rent. The pool refills a row on every route table change; an empty row sends rents to the slow path.
/// </summary>
/// <remarks>
/// Entries are written one at a time while rents read them: a rent during a refill may take an endpoint of the old
/// table, as one that read the table just before the change would. Turns are plain counters, like
/// <see cref="RoundRobinBalancer"/>'s: two rents at one instant may take the same turn.
/// </remarks>
internal struct RouteSpread
{
    /// <summary>How many workloads there are.</summary>
    public const int Workloads = (int)Workload.HighPriority + 1;

    /// <summary>Entries per row: 60 is divisible by every count of candidates from 1 to 6, so each gets an equal share.</summary>
    public const int RowLength = 60;

    private Singles _singles;
    private Entries _entries;
    private Turns _turns;

    /// <summary>Whether a row can list <paramref name="candidates"/> endpoints in equal shares.</summary>
    public static bool Divides(int candidates) => candidates > 0 && RowLength % candidates == 0;

    /// <summary>The next endpoint pool in <paramref name="workload"/>'s row, or null when the row is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Next(Workload workload)
    {
        // A route with one candidate, the common case for writes, needs no turn: one read less on the way to the pool.
        if (_singles[(int)workload] is { } single)
        {
            return single;
        }

        // The entry is read with the turn as it was, so that the read does not wait for the increment.
        ref int turn = ref _turns[(int)workload];
        int current = turn;
        turn = current == RowLength - 1 ? 0 : current + 1;
        return _entries[((int)workload * RowLength) + current];
    }

    /// <summary>Lists <paramref name="candidates"/> in <paramref name="workload"/>'s row in turn; empty candidates empty it.</summary>
    /// <param name="workload">The row.</param>
    /// <param name="candidates">The endpoints, their count a divisor of <see cref="RowLength"/>, or none.</param>
    /// <param name="pools">The endpoint pools, by endpoint index.</param>
    public void Fill(Workload workload, ReadOnlySpan<EndpointState> candidates, object[] pools)
    {
        _singles[(int)workload] = candidates.Length == 1 ? pools[candidates[0].Index] : null;
        int row = (int)workload * RowLength;
        for (int i = 0; i < RowLength; i++)
        {
            _entries[row + i] = candidates.IsEmpty ? null : pools[candidates[i % candidates.Length].Index];
        }
    }

    /// <summary>Empties every row: the pool is shutting down.</summary>
    public void Clear()
    {
        ((Span<object?>)_singles).Clear();
        ((Span<object?>)_entries).Clear();
    }

    [InlineArray(Workloads)]
    private struct Singles
    {
        private object? _single;
    }

    [InlineArray(Workloads * RowLength)]
    private struct Entries
    {
        private object? _entry;
    }

    [InlineArray(Workloads)]
    private struct Turns
    {
        private int _turn;
    }
}
