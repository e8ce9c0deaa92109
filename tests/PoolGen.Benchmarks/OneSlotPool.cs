using System.Threading;

namespace PoolGen.Benchmarks;

/// <summary>
/// The floor: the least a pool can do to hand out and take back one object safely across threads, one
/// compare-and-swap to take and one volatile write to return. No real pool can be faster.
/// </summary>
public sealed class OneSlotPool
{
    private FakeConnection? _slot;

    public OneSlotPool(FakeConnection item) => _slot = item;

    public FakeConnection? TryTake(FakeConnection expected) =>
        Interlocked.CompareExchange(ref _slot, null, expected);

    public void Return(FakeConnection item) => Volatile.Write(ref _slot, item);
}
