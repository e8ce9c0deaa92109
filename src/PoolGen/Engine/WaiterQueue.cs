using System.Threading;

namespace PoolGen;

/// <summary>
/// The rents waiting for a connection, in the order they are to be served, and the stack of waiters kept for reuse. It owns its lock; the
/// engine takes it to combine a queue step with a look at the slots (see <see cref="Lock"/>), and no user code ever
/// runs under it.
/// </summary>
/// <remarks>
/// A struct kept in a field of the engine, never copied: the engine reads <see cref="Count"/> on every rent and return,
/// and as a field of the engine itself that read costs no extra indirection. The order lives in
/// <see cref="Enqueue"/>: by virtual start (<see cref="PoolWaiter{TConnection, TLease, TPolicy}.VirtualStartMs"/>), which
/// is first in, first out among rents of one priority.
/// </remarks>
internal struct WaiterQueue<TConnection, TLease, TPolicy>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private PoolWaiter<TConnection, TLease, TPolicy>? _head;
    private PoolWaiter<TConnection, TLease, TPolicy>? _tail;
    private PoolWaiter<TConnection, TLease, TPolicy>? _recycled;
    private int _count;

    public WaiterQueue()
    {
        Lock = new object();
    }

    /// <summary>Guards the queue and taking from the recycled stack. Methods marked "locked" need the caller to hold it.</summary>
    public readonly object Lock { get; }

    /// <summary>Opens started for waiters and not finished; guarded by <see cref="Lock"/>.</summary>
    private int _opensForWaiters;

    /// <summary>Whether more rents wait than opens were started for them; locked.</summary>
    public readonly bool WantsAnotherOpen => _opensForWaiters < _count;

    /// <summary>An open for the waiters started; locked.</summary>
    public void OpenStarted() => _opensForWaiters++;

    /// <summary>An open for the waiters ended, with a connection or not; locked.</summary>
    public void OpenEnded() => _opensForWaiters--;

    /// <summary>Queued waiters. Read without the lock; changed with a full fence under it.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The waiter to serve first, or null; locked.</summary>
    public readonly PoolWaiter<TConnection, TLease, TPolicy>? Oldest => _head;

    /// <summary>When the oldest waiting rent started, in the engine's milliseconds; null when none waits.</summary>
    public long? OldestStartMs()
    {
        lock (Lock)
        {
            return _head?.StartMs;
        }
    }

    /// <summary>
    /// How many queued waiters <paramref name="waiter"/> would have ahead of it if it joined now: those with an earlier
    /// or equal virtual start. Walks from the tail, so a rent of the common priority costs one step; locked.
    /// </summary>
    public readonly int CountAhead(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        int behind = 0;
        for (PoolWaiter<TConnection, TLease, TPolicy>? other = _tail; other is not null && other.VirtualStartMs > waiter.VirtualStartMs; other = other.Previous)
        {
            behind++;
        }

        return _count - behind;
    }

    /// <summary>
    /// Links a waiter in its turn (after every waiter whose virtual start is earlier or equal: first in, first out
    /// within a priority, higher priorities ahead as far as their aging allows), or at the head when it keeps its turn
    /// (its connection failed validation); locked. The count changes with a full fence, so a return that made a slot
    /// idle before it is found by the caller's scan, and one after it sees the count.
    /// </summary>
    public void Enqueue(PoolWaiter<TConnection, TLease, TPolicy> waiter, bool first = false)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? before = null;
        if (!first)
        {
            before = _tail;
            while (before is not null && before.VirtualStartMs > waiter.VirtualStartMs)
            {
                before = before.Previous;
            }
        }

        PoolWaiter<TConnection, TLease, TPolicy>? after = before is null ? _head : before.Next;
        waiter.Previous = before;
        waiter.Next = after;
        if (before is null)
        {
            _head = waiter;
        }
        else
        {
            before.Next = waiter;
        }

        if (after is null)
        {
            _tail = waiter;
        }
        else
        {
            after.Previous = waiter;
        }

        waiter.Queued = true;
        Interlocked.Increment(ref _count);
    }

    /// <summary>Takes a waiter out of the queue if it is still there; the caller then decides its outcome. Takes the lock.</summary>
    public bool TryRemove(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (Lock)
        {
            if (!waiter.Queued)
            {
                return false;
            }

            Remove(waiter);
            return true;
        }
    }

    /// <summary>Unlinks a queued waiter; locked.</summary>
    public void Remove(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        if (waiter.Previous is null)
        {
            _head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Next = null;
        waiter.Previous = null;
        waiter.Queued = false;
        Interlocked.Decrement(ref _count);
    }

    /// <summary>Empties the queue and returns its former head, the waiters still chained through Next; locked.</summary>
    public PoolWaiter<TConnection, TLease, TPolicy>? RemoveAll()
    {
        PoolWaiter<TConnection, TLease, TPolicy>? first = _head;
        for (PoolWaiter<TConnection, TLease, TPolicy>? waiter = first; waiter is not null; waiter = waiter.Next)
        {
            waiter.Queued = false;
            Interlocked.Decrement(ref _count);
        }

        _head = null;
        _tail = null;
        return first;
    }

    /// <summary>Takes a recycled waiter, if there is one; locked.</summary>
    public PoolWaiter<TConnection, TLease, TPolicy>? PopRecycled()
    {
        // Only the lock's holder pops, so a waiter cannot leave the stack and come back between reading the head and
        // swapping it out (no ABA); pushes need no lock.
        PoolWaiter<TConnection, TLease, TPolicy>? waiter = Volatile.Read(ref _recycled);
        while (waiter is not null)
        {
            PoolWaiter<TConnection, TLease, TPolicy>? seen = Interlocked.CompareExchange(ref _recycled, waiter.Next, waiter);
            if (seen == waiter)
            {
                waiter.Next = null;
                return waiter;
            }

            waiter = seen;
        }

        return null;
    }

    /// <summary>Keeps a waiter whose rent has ended for the next rent that waits; needs no lock.</summary>
    public void PushRecycled(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? head = Volatile.Read(ref _recycled);
        while (true)
        {
            waiter.Next = head;
            PoolWaiter<TConnection, TLease, TPolicy>? seen = Interlocked.CompareExchange(ref _recycled, waiter, head);
            if (seen == head)
            {
                return;
            }

            head = seen;
        }
    }
}
