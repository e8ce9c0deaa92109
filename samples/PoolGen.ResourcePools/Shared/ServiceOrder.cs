using System.Collections.Generic;

namespace PoolGen.ResourcePools.Shared;

/// <summary>The order in which operations got their resource, recorded from many threads.</summary>
public sealed class ServiceOrder
{
    private readonly List<string> _served = new();

    /// <summary>Records that <paramref name="operation"/> was served now.</summary>
    public void Served(string operation)
    {
        lock (_served)
        {
            _served.Add(operation);
        }
    }

    /// <summary>The operations in the order they were served.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_served)
        {
            return _served.ToArray();
        }
    }
}
