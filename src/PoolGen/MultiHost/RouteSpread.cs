using System;
using System.Runtime.CompilerServices;

namespace PoolGen;

/// <summary>
/// A multi-host pool's fast routes: per workload, the endpoint pool whose turn it is, and, where there are several
/// candidates, a row of <see cref="RowLength"/> pools that lists them in turn with a turn counter. Taking a turn is one
/// read, and setting up the next an increment and an index, with no division, balancer call or pointer to follow, so a
/// routed rent costs about one memory read more than a single-server rent. The pool refills a row on every route table
/// change; an empty row sends rents to the slow path.
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

    private Current _current;
    private Rotates _rotates;
    private Entries _entries;
    private Turns _turns;

    /// <summary>Whether a row can list <paramref name="candidates"/> endpoints in equal shares.</summary>
    public static bool Divides(int candidates) => candidates > 0 && RowLength % candidates == 0;

    /// <summary>The next endpoint pool in <paramref name="workload"/>'s row, or null when the row is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public object? Next(Workload workload)
    {
        // The pool of this turn is one read away, as a route with one candidate's is; the next turn is set up after it is
        // read, so the rent does not wait for the counter.
        object? current = _current[(int)workload];
        if (_rotates[(int)workload])
        {
            ref int turn = ref _turns[(int)workload];
            int next = turn == RowLength - 1 ? 0 : turn + 1;
            turn = next;
            _current[(int)workload] = _entries[((int)workload * RowLength) + next];
        }

        return current;
    }

    /// <summary>Lists <paramref name="candidates"/> in <paramref name="workload"/>'s row in turn; empty candidates empty it.</summary>
    /// <param name="workload">The row.</param>
    /// <param name="candidates">The endpoints, their count a divisor of <see cref="RowLength"/>, or none.</param>
    /// <param name="pools">The endpoint pools, by endpoint index.</param>
    public void Fill(Workload workload, ReadOnlySpan<EndpointState> candidates, object[] pools)
    {
        int row = (int)workload * RowLength;
        for (int i = 0; i < RowLength; i++)
        {
            _entries[row + i] = candidates.IsEmpty ? null : pools[candidates[i % candidates.Length].Index];
        }

        _rotates[(int)workload] = candidates.Length > 1;
        _current[(int)workload] = _entries[row + _turns[(int)workload]];
    }

    /// <summary>Empties every row: the pool is shutting down.</summary>
    public void Clear()
    {
        ((Span<bool>)_rotates).Clear();
        ((Span<object?>)_current).Clear();
        ((Span<object?>)_entries).Clear();
    }

    [InlineArray(Workloads)]
    private struct Current
    {
        private object? _pool;
    }

    [InlineArray(Workloads)]
    private struct Rotates
    {
        private bool _rotates;
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
