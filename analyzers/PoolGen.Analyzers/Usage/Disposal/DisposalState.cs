using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Usage.Disposal;

/// <summary>Where a lease value was disposed, and whether it was on every path to the point at hand or only on some.</summary>
internal readonly struct Disposed
{
    public Disposed(IOperation site, bool onEveryPath)
    {
        Site = site;
        OnEveryPath = onEveryPath;
    }

    /// <summary>The dispose call (or the argument to a <c>[TakesLease]</c> parameter) that disposed the value.</summary>
    public IOperation Site { get; }

    public bool OnEveryPath { get; }
}

/// <summary>
/// The state of the disposal analysis at one point of a method. A <em>value</em> is one lease as it was produced: the
/// operation that produced it (a rent, a copy's source, an <c>out</c> argument) or the parameter that brought it in.
/// <see cref="Values"/> says which values each variable may hold; <see cref="DisposedValues"/> which values have been
/// disposed. Two variables holding the same value are copies of one lease: disposing either disposes both.
/// </summary>
/// <remarks>
/// Where paths merge, a variable may hold any value it held on either path, and a value disposed on one path but
/// alive on the other is disposed "on some path": a use or a second disposal there is still reported, with a message
/// that says "may". A value unknown on one path (not yet produced there) keeps what the other path says about it.
/// </remarks>
internal sealed class DisposalState
{
    public static readonly DisposalState Empty = new(
        ImmutableDictionary.Create<ISymbol, ImmutableHashSet<object>>(SymbolEqualityComparer.Default),
        ImmutableDictionary<object, Disposed>.Empty);

    private DisposalState(ImmutableDictionary<ISymbol, ImmutableHashSet<object>> values, ImmutableDictionary<object, Disposed> disposed)
    {
        Values = values;
        DisposedValues = disposed;
    }

    public ImmutableDictionary<ISymbol, ImmutableHashSet<object>> Values { get; }

    public ImmutableDictionary<object, Disposed> DisposedValues { get; }

    /// <summary>The values <paramref name="variable"/> may hold: none when it holds nothing known.</summary>
    public ImmutableHashSet<object> ValuesOf(ISymbol variable) =>
        Values.TryGetValue(variable, out ImmutableHashSet<object>? values) ? values : ImmutableHashSet<object>.Empty;

    /// <summary>
    /// The disposal of what <paramref name="variable"/> holds, if any value it may hold has been disposed; the result is
    /// on every path only when every value it may hold has been disposed on every path.
    /// </summary>
    public Disposed? DisposalOf(ISymbol variable)
    {
        ImmutableHashSet<object> values = ValuesOf(variable);
        Disposed? found = null;
        bool everyPath = values.Count > 0;
        foreach (object value in values)
        {
            if (DisposedValues.TryGetValue(value, out Disposed disposed))
            {
                found ??= disposed;
                everyPath &= disposed.OnEveryPath;
            }
            else
            {
                everyPath = false;
            }
        }

        return found is { } site ? new Disposed(site.Site, everyPath) : null;
    }

    /// <summary><paramref name="variable"/> now holds <paramref name="values"/> (a fresh value starts undisposed).</summary>
    public DisposalState Assign(ISymbol variable, ImmutableHashSet<object> values, bool fresh)
    {
        ImmutableDictionary<object, Disposed> disposed = fresh ? DisposedValues.RemoveRange(values) : DisposedValues;
        return new DisposalState(values.IsEmpty ? Values.Remove(variable) : Values.SetItem(variable, values), disposed);
    }

    /// <summary>Every value <paramref name="variable"/> may hold is now disposed, at <paramref name="site"/>.</summary>
    public DisposalState Dispose(ISymbol variable, IOperation site)
    {
        ImmutableDictionary<object, Disposed> disposed = DisposedValues;
        foreach (object value in ValuesOf(variable))
        {
            disposed = disposed.SetItem(value, new Disposed(site, onEveryPath: true));
        }

        return new DisposalState(Values, disposed);
    }

    /// <summary>The state where two paths meet.</summary>
    public DisposalState Merge(DisposalState other)
    {
        ImmutableDictionary<ISymbol, ImmutableHashSet<object>> values = Values;
        foreach (KeyValuePair<ISymbol, ImmutableHashSet<object>> entry in other.Values)
        {
            values = values.SetItem(entry.Key, ValuesOf(entry.Key).Union(entry.Value));
        }

        HashSet<object> knownHere = Known();
        HashSet<object> knownThere = other.Known();
        ImmutableDictionary<object, Disposed> disposed = DisposedValues;
        foreach (KeyValuePair<object, Disposed> entry in DisposedValues)
        {
            if (!other.DisposedValues.ContainsKey(entry.Key) && knownThere.Contains(entry.Key))
            {
                disposed = disposed.SetItem(entry.Key, new Disposed(entry.Value.Site, onEveryPath: false));
            }
        }

        foreach (KeyValuePair<object, Disposed> entry in other.DisposedValues)
        {
            if (DisposedValues.TryGetValue(entry.Key, out Disposed here))
            {
                disposed = disposed.SetItem(entry.Key, new Disposed(here.Site, here.OnEveryPath && entry.Value.OnEveryPath));
            }
            else
            {
                disposed = disposed.SetItem(entry.Key, new Disposed(entry.Value.Site, entry.Value.OnEveryPath && !knownHere.Contains(entry.Key)));
            }
        }

        return new DisposalState(values, disposed);
    }

    /// <summary>Whether both states say the same (the site of a disposal aside): the fixed point test.</summary>
    public bool SameAs(DisposalState other) =>
        Values.Count == other.Values.Count
        && DisposedValues.Count == other.DisposedValues.Count
        && Values.All(entry => other.Values.TryGetValue(entry.Key, out ImmutableHashSet<object>? values) && values.SetEquals(entry.Value))
        && DisposedValues.All(entry => other.DisposedValues.TryGetValue(entry.Key, out Disposed d) && d.OnEveryPath == entry.Value.OnEveryPath);

    private HashSet<object> Known() => new(Values.Values.SelectMany(v => v));
}
