using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using State = System.Collections.Immutable.ImmutableHashSet<PoolGen.Analyzers.Usage.Leaks.Holding>;

namespace PoolGen.Analyzers.Usage.Leaks;

/// <summary>
/// The leaks found in one method, once per acquisition, each with the first way it was found to leak: POOL101 on the
/// paths that run normally, POOL108 for the ones only an exception takes.
/// </summary>
internal sealed class LeakReport
{
    private readonly Dictionary<IOperation, string> _leaks = new();
    private readonly Dictionary<IOperation, (IOperation Call, ILocalSymbol Local)> _exceptionLeaks = new();

    /// <summary>Every acquisition still held where the method ends.</summary>
    public void AtEnd(State state)
    {
        // A lease still waiting for a branch on its TryRent's result is not reported: nobody looked whether it is there.
        // A flagged one is: it is certainly there.
        foreach (Holding holding in state.Where(h => h.Certain))
        {
            Add(holding.Acquisition, $"'{holding.Local.Name}' still holds it where the method ends");
        }
    }

    /// <summary>Every acquisition still held at an explicit throw that no catch around it may take.</summary>
    public void AtThrow(State state)
    {
        foreach (Holding holding in state.Where(h => h.Certain))
        {
            Add(holding.Acquisition, $"'{holding.Local.Name}' still holds it at a 'throw'");
        }
    }

    /// <summary>Every acquisition still held when an exception from <paramref name="call"/> leaves the method.</summary>
    public void AtException(IOperation call, State state)
    {
        foreach (Holding holding in state.Where(h => h.Certain))
        {
            if (!_exceptionLeaks.ContainsKey(holding.Acquisition))
            {
                _exceptionLeaks.Add(holding.Acquisition, (call, holding.Local));
            }
        }
    }

    /// <summary>
    /// The POOL108 leaks in source order: acquisitions lost only when a call throws, each with the first such call found
    /// and the local that held the lease. An acquisition POOL101 reports is not repeated here.
    /// </summary>
    public IEnumerable<KeyValuePair<IOperation, (IOperation Call, ILocalSymbol Local)>> ExceptionLeaks =>
        _exceptionLeaks.Where(leak => !_leaks.ContainsKey(leak.Key)).OrderBy(leak => leak.Key.Syntax.SpanStart);

    /// <summary>An acquisition whose only holder got another value.</summary>
    public void Overwritten(IOperation acquisition, ILocalSymbol local) =>
        Add(acquisition, $"'{local.Name}' is assigned again while it holds it");

    /// <summary>The leaks in source order, for a deterministic report.</summary>
    public IEnumerable<KeyValuePair<IOperation, string>> Leaks =>
        _leaks.OrderBy(leak => leak.Key.Syntax.SpanStart);

    private void Add(IOperation acquisition, string reason)
    {
        if (!_leaks.ContainsKey(acquisition))
        {
            _leaks.Add(acquisition, reason);
        }
    }
}
