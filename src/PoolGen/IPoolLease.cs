using System.ComponentModel;

namespace PoolGen;

/// <summary>
/// Implemented by each generated <c>Lease</c> struct so the engine can hand out the user's lease type directly,
/// without a conversion step: waiting rents complete the caller's <c>ValueTask&lt;Lease&gt;</c> themselves, which keeps
/// them free of allocations.
/// </summary>
/// <typeparam name="TSelf">The lease type.</typeparam>
/// <typeparam name="THandle">The engine's handle that the lease wraps.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPoolLease<TSelf, THandle>
    where TSelf : struct, IPoolLease<TSelf, THandle>
    where THandle : struct
{
    /// <summary>Wraps an engine handle in the lease type.</summary>
    static abstract TSelf FromHandle(THandle handle);

    /// <summary>The engine handle the lease wraps; leak detection reads it to note where the lease was rented.</summary>
    THandle Handle { get; }
}
