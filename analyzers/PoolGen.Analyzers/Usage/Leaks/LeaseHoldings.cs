using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// One fact of the leak analysis: <see cref="Local"/> holds the undisposed lease that <see cref="Acquisition"/> produced.
/// With a <see cref="Guard"/>, a <c>bool</c> local decides: for a <c>TryRent</c> whose result went into it
/// (<c>var ok = pool.TryRent(out var lease);</c>) the lease is there only if the local is true; for a flag given a
/// constant while the lease was held (<see cref="Flagged"/>: <c>lease = pool.Rent(); rented = true;</c>) the lease is
/// there and the flag has that value (<see cref="FlagValue"/>), so a branch where it has the other value cannot have it.
/// </summary>
internal readonly struct Holding : IEquatable<Holding>
{
    public Holding(ILocalSymbol local, IOperation acquisition, ILocalSymbol? guard = null, bool flagged = false, bool flagValue = true)
    {
        Local = local;
        Acquisition = acquisition;
        Guard = guard;
        Flagged = flagged;
        FlagValue = flagValue;
    }

    public ILocalSymbol Local { get; }

    /// <summary>The <c>bool</c> local a branch on which decides whether the lease is there.</summary>
    public ILocalSymbol? Guard { get; }

    /// <summary>
    /// Whether <see cref="Guard"/> is a flag that had <see cref="FlagValue"/> while the lease was held: the lease is
    /// certainly there (and is reported if it leaks), and a branch where the flag has the other value cannot have it.
    /// </summary>
    public bool Flagged { get; }

    /// <summary>The value the flag has wherever this holding is.</summary>
    public bool FlagValue { get; }

    /// <summary>Whether the lease is certainly held, as opposed to waiting for a branch on a <c>TryRent</c>'s result.</summary>
    public bool Certain => Guard is null || Flagged;

    /// <summary>The call that produced the lease: the place a leak is reported, once however many paths leak it.</summary>
    public IOperation Acquisition { get; }

    public bool Equals(Holding other) =>
        SymbolEqualityComparer.Default.Equals(Local, other.Local) && ReferenceEquals(Acquisition, other.Acquisition)
        && SymbolEqualityComparer.Default.Equals(Guard, other.Guard) && Flagged == other.Flagged && FlagValue == other.FlagValue;

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
            if (holding.Certain && !state.Any(h => ReferenceEquals(h.Acquisition, holding.Acquisition)))
            {
                lost(holding.Acquisition);
            }
        }

        return state;
    }

    /// <summary>
    /// A branch on <paramref name="guard"/>, taking the edge where it is <paramref name="value"/>. A <c>TryRent</c>'s lease
    /// is there where it is true, and from then on flagged by it (it stays true until assigned again, which keeps
    /// <c>while (!ok) { ok = pool.TryRent(out lease); }</c> decided), and never was where it is false. A flagged lease
    /// is there where the flag has its value and cannot be where it has the other.
    /// </summary>
    public static ImmutableHashSet<Holding> Decide(ImmutableHashSet<Holding> state, ILocalSymbol guard, bool value)
    {
        Holding[] guarded = state.Where(h => SymbolEqualityComparer.Default.Equals(h.Guard, guard)).ToArray();
        if (guarded.Length == 0)
        {
            return state;
        }

        state = state.Except(guarded);
        foreach (Holding holding in guarded)
        {
            if (holding.Flagged ? holding.FlagValue == value : value)
            {
                state = state.Add(new Holding(holding.Local, holding.Acquisition, guard, flagged: true, flagValue: value));
            }
        }

        return state;
    }

    /// <summary>
    /// <paramref name="flag"/> gets a new value: <paramref name="constant"/> when it is a constant. A <c>TryRent</c> it
    /// guarded is forgotten (nobody can look any more). Every lease held for certain that is tied to no other flag is
    /// tied to this one with the constant's value, or to none when the value is not a constant.
    /// </summary>
    public static ImmutableHashSet<Holding> Reassign(ImmutableHashSet<Holding> state, ILocalSymbol flag, bool? constant)
    {
        if (state.IsEmpty)
        {
            return state;
        }

        var next = new List<Holding>(state.Count);
        foreach (Holding holding in state)
        {
            bool guardedHere = SymbolEqualityComparer.Default.Equals(holding.Guard, flag);
            if (guardedHere && !holding.Flagged)
            {
                continue;
            }

            next.Add(holding.Guard is null || guardedHere
                ? constant is { } value
                    ? new Holding(holding.Local, holding.Acquisition, flag, flagged: true, flagValue: value)
                    : new Holding(holding.Local, holding.Acquisition)
                : holding);
        }

        return ImmutableHashSet.CreateRange(next);
    }

    /// <summary>Whether some lease waits for a branch on <paramref name="guard"/>.</summary>
    public static bool Guards(ImmutableHashSet<Holding> state, ILocalSymbol guard) =>
        state.Any(h => SymbolEqualityComparer.Default.Equals(h.Guard, guard));
}
