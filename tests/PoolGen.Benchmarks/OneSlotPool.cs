using System.Threading;
using System.Threading.Tasks;

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

    /// <summary>A return by compare-and-swap, as a pool must do to reject a second return of the same rent.</summary>
    public void ReturnChecked(FakeConnection item) => Interlocked.CompareExchange(ref _slot, item, null);

    /// <summary>The take wrapped in a completed <see cref="ValueTask{TResult}"/>, as an asynchronous rent returns it.</summary>
    public ValueTask<FakeConnection?> TryTakeAsync(FakeConnection expected) => new(TryTake(expected));
}
