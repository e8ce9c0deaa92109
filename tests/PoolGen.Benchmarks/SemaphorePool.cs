using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// The design of most hand-written pools: a <see cref="SemaphoreSlim"/> counts the idle items and a
/// <see cref="ConcurrentQueue{T}"/> holds them. A rent waits on the semaphore, then dequeues; a return enqueues, then
/// releases. All items exist from the start.
/// </summary>
public sealed class SemaphorePool<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _idle;
    private readonly SemaphoreSlim _available;

    public SemaphorePool(IReadOnlyCollection<T> items)
    {
        _idle = new ConcurrentQueue<T>(items);
        _available = new SemaphoreSlim(items.Count, items.Count);
    }

    public T Rent()
    {
        _available.Wait();
        return Dequeue();
    }

    public ValueTask<T> RentAsync(CancellationToken cancellationToken = default)
    {
        // WaitAsync returns a cached completed task when a count is free, so only a real wait allocates.
        Task wait = _available.WaitAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? new ValueTask<T>(Dequeue()) : DequeueAfterAsync(wait);
    }

    public void Return(T item)
    {
        _idle.Enqueue(item);
        _available.Release();
    }

    private async ValueTask<T> DequeueAfterAsync(Task wait)
    {
        await wait.ConfigureAwait(false);
        return Dequeue();
    }

    // The semaphore's count never exceeds the queue's length, so a dequeue after a successful wait always succeeds.
    private T Dequeue() =>
        _idle.TryDequeue(out T? item) ? item : throw new InvalidOperationException("The semaphore pool lost an item.");
}
