using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// One fact of the leak analysis: <see cref="Local"/> holds the undisposed lease that <see cref="Acquisition"/> produced,
/// or, with a <see cref="Guard"/>, holds it if that <c>bool</c> local is true (<c>var ok = pool.TryRent(out var lease);</c>).
/// </summary>
internal readonly struct Holding : IEquatable<Holding>
{
    public Holding(ILocalSymbol local, IOperation acquisition, ILocalSymbol? guard = null)
    {
        Local = local;
        Acquisition = acquisition;
        Guard = guard;
    }

    public ILocalSymbol Local { get; }

    /// <summary>The <c>bool</c> local that says whether the lease is there, until a branch on it decides.</summary>
    public ILocalSymbol? Guard { get; }

    /// <summary>The call that produced the lease: the place a leak is reported, once however many paths leak it.</summary>
    public IOperation Acquisition { get; }

    public bool Equals(Holding other) =>
        SymbolEqualityComparer.Default.Equals(Local, other.Local) && ReferenceEquals(Acquisition, other.Acquisition)
        && SymbolEqualityComparer.Default.Equals(Guard, other.Guard);

    public override bool Equals(object? obj) => obj is Holding other && Equals(other);

    public override int GetHashCode() =>
        (SymbolEqualityComparer.Default.GetHashCode(Local) * 397) ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Acquisition);
}

/// <summary>
/// The state at one point of a method: every (local, acquisition) pair that may hold an undisposed lease there. Paths
/// merge by union, so a lease held on any path into a point is held at that point. Two locals holding the same
/// acquisition are copies of one lease: disposing either disposes it.
/// </summary>
internal static class LeaseHoldings
{
    public static readonly ImmutableHashSet<Holding> Empty = ImmutableHashSet<Holding>.Empty;

    /// <summary>The acquisitions <paramref name="local"/> may hold.</summary>
    public static IEnumerable<IOperation> HeldBy(ImmutableHashSet<Holding> state, ILocalSymbol local) =>
        state.Where(h => SymbolEqualityComparer.Default.Equals(h.Local, local)).Select(h => h.Acquisition);

    /// <summary>The lease in <paramref name="local"/> is disposed or handed on: every copy of it stops holding.</summary>
    public static ImmutableHashSet<Holding> Release(ImmutableHashSet<Holding> state, ILocalSymbol local)
    {
        var released = new HashSet<IOperation>(HeldBy(state, local));
        return released.Count == 0 ? state : state.Except(state.Where(h => released.Contains(h.Acquisition)));
    }

    /// <summary>
    /// <paramref name="local"/> gets a new value: it stops holding, and every acquisition no other local still holds is
    /// lost, which <paramref name="lost"/> is told.
    /// </summary>
    public static ImmutableHashSet<Holding> Overwrite(ImmutableHashSet<Holding> state, ILocalSymbol local, Action<IOperation> lost)
    {
        Holding[] own = state.Where(h => SymbolEqualityComparer.Default.Equals(h.Local, local)).ToArray();
        if (own.Length == 0)
        {
            return state;
        }

        state = state.Except(own);
        foreach (Holding holding in own)
        {
            if (holding.Guard is null && !state.Any(h => ReferenceEquals(h.Acquisition, holding.Acquisition)))
            {
                lost(holding.Acquisition);
            }
        }

        return state;
    }

    /// <summary>A branch on <paramref name="guard"/>: where it is true its leases are held, where it is false they never were.</summary>
    public static ImmutableHashSet<Holding> Decide(ImmutableHashSet<Holding> state, ILocalSymbol guard, bool value)
    {
        Holding[] guarded = state.Where(h => SymbolEqualityComparer.Default.Equals(h.Guard, guard)).ToArray();
        if (guarded.Length == 0)
        {
            return state;
        }

        state = state.Except(guarded);
        return value ? state.Union(guarded.Select(h => new Holding(h.Local, h.Acquisition))) : state;
    }

    /// <summary>Whether some lease waits for a branch on <paramref name="guard"/>.</summary>
    public static bool Guards(ImmutableHashSet<Holding> state, ILocalSymbol guard) =>
        state.Any(h => SymbolEqualityComparer.Default.Equals(h.Guard, guard));
}
