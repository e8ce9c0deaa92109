using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly Action<object?> s_openForWaiters = static state =>
        _ = ((PoolEngine<TConnection, TLease, TPolicy>)state!).OpenForWaitersAsync();

    /// <summary>Guards the waiter queue and the pool of recycled waiters. No user code ever runs under it.</summary>
    private readonly object _queueLock = new();

    private PoolWaiter<TConnection, TLease, TPolicy>? _head;
    private PoolWaiter<TConnection, TLease, TPolicy>? _tail;
    private PoolWaiter<TConnection, TLease, TPolicy>? _recycled;

    /// <summary>Queued waiters. Read without the lock on the hot path; changed with a full fence under the lock.</summary>
    private int _waiting;

    /// <summary>Opens started for waiters and not finished; guarded by the queue lock.</summary>
    private int _opensForWaiters;

    /// <summary>The pool's clock, for its waiters' timers.</summary>
    internal TimeProvider TimeProvider => _time;

    /// <summary>The pool's clock in milliseconds, for its waiters.</summary>
    internal long CurrentMs => PreciseNowMs();

    /// <summary>Queues a synchronous rent and blocks until it gets a connection, or throws when it cannot.</summary>
    private TLease WaitForHandOff(long startMs, int remainingMs)
    {
        PoolWaiter<TConnection, TLease, TPolicy> waiter = RentWaiter();
        waiter.ArmSync(startMs);
        Enqueue(waiter);
        ServeWaiters();
        if (!waiter.WaitSync(remainingMs))
        {
            if (!TryDequeue(waiter))
            {
                // Someone took the waiter out of the queue just now and is completing it.
                waiter.WaitForCompletion();
            }
            else
            {
                waiter.Fail(CreateTimeoutException(startMs));
            }
        }

        TLease lease = waiter.TakeSyncResult(out Exception? error);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return lease;
    }

    private PoolWaiter<TConnection, TLease, TPolicy> RentWaiter()
    {
        lock (_queueLock)
        {
            PoolWaiter<TConnection, TLease, TPolicy>? waiter = _recycled;
            if (waiter is not null)
            {
                _recycled = waiter.Next;
                waiter.Next = null;
                return waiter;
            }
        }

        return new PoolWaiter<TConnection, TLease, TPolicy>(this);
    }

    internal void ReturnWaiter(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (_queueLock)
        {
            waiter.Next = _recycled;
            _recycled = waiter;
        }
    }

    private void Enqueue(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        Link(waiter, first: false);
        Interlocked.Increment(ref _waits);
        CatchMissedCallbacks(waiter);
    }

    /// <summary>Puts a waiter whose connection failed validation back at the head of the queue: it keeps its turn.</summary>
    private void RequeueFirst(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        Link(waiter, first: true);
        CatchMissedCallbacks(waiter);
    }

    /// <summary>Links a waiter at the tail of the queue, or at its head; the count changes with a full fence.</summary>
    private void Link(PoolWaiter<TConnection, TLease, TPolicy> waiter, bool first)
    {
        lock (_queueLock)
        {
            PoolWaiter<TConnection, TLease, TPolicy>? neighbour = first ? _head : _tail;
            waiter.Previous = first ? null : neighbour;
            waiter.Next = first ? neighbour : null;
            if (neighbour is null)
            {
                _head = waiter;
                _tail = waiter;
            }
            else if (first)
            {
                neighbour.Previous = waiter;
                _head = waiter;
            }
            else
            {
                neighbour.Next = waiter;
                _tail = waiter;
            }

            waiter.Queued = true;
            Interlocked.Increment(ref _waiting);
        }
    }

    /// <summary>
    /// The timer and the cancellation callback ignore a waiter that is not queued, and may have fired while it was
    /// not: catch what they missed.
    /// </summary>
    private void CatchMissedCallbacks(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            FailAllWaiters();
        }
        else if (waiter.IsAsync)
        {
            if (waiter.CancellationToken.IsCancellationRequested)
            {
                OnWaiterCanceled(waiter);
            }
            else
            {
                waiter.EnsureTimer();
            }
        }
    }

    /// <summary>Takes a waiter out of the queue if it is still there; the caller then decides its outcome.</summary>
    private bool TryDequeue(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (_queueLock)
        {
            if (!waiter.Queued)
            {
                return false;
            }

            Unlink(waiter);
            return true;
        }
    }

    /// <summary>Unlinks a queued waiter; the caller holds the queue lock.</summary>
    private void Unlink(PoolWaiter<TConnection, TLease, TPolicy> waiter)
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
        Interlocked.Decrement(ref _waiting);
    }

    /// <summary>
    /// A waiter's timer fired: times the rent out if it is queued and due, re-arms the timer if it is queued and not
    /// yet due (the timer was set for an earlier rent of this waiter, or fired a moment early), and otherwise does
    /// nothing (the rent already ended).
    /// </summary>
    internal void OnWaiterTimer(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (_queueLock)
        {
            if (!waiter.Queued || waiter.DeadlineMs == long.MaxValue)
            {
                return;
            }

            if (PreciseNowMs() < waiter.DeadlineMs)
            {
                waiter.SetTimer(waiter.DeadlineMs);
                return;
            }

            Unlink(waiter);
        }

        waiter.Fail(CreateTimeoutException(waiter.StartMs));
    }

    internal void OnWaiterCanceled(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        if (TryDequeue(waiter))
        {
            Interlocked.Increment(ref _cancellations);
            waiter.Fail(new OperationCanceledException(
                $"A rent from pool '{Name}' was canceled while waiting for a connection.",
                waiter.CancellationToken));
        }
    }

    /// <summary>
    /// Hands idle connections to the oldest waiters, and opens new connections for waiters while the pool is below
    /// Max. Called by anyone who may have made that possible: a return, a close, a new waiter, a resize.
    /// </summary>
    private void ServeWaiters()
    {
        while (Volatile.Read(ref _waiting) != 0 && Volatile.Read(ref _disposed) == 0)
        {
            PoolWaiter<TConnection, TLease, TPolicy>? waiter = null;
            PoolSlot<TConnection, TLease, TPolicy>? slot = null;
            int token = 0;
            lock (_queueLock)
            {
                if (_head is null)
                {
                    return;
                }

                if (TryTakeIdle(out slot, out token))
                {
                    waiter = _head;
                    Unlink(waiter);
                }
                else if (_opensForWaiters < _waiting && TryReserve())
                {
                    _opensForWaiters++;
                }
                else
                {
                    return;
                }
            }

            if (waiter is null)
            {
                // Opening runs user code that may block; it must not run on the thread that is returning a lease.
                ThreadPool.UnsafeQueueUserWorkItem(s_openForWaiters, this, preferLocal: false);
            }
            else if (IsReadyToLend(slot!))
            {
                waiter.Complete(Lend(slot!, token));
            }
            else
            {
                // The connection needs validating, which is user code and may take a round trip: do it on the thread
                // pool. A connection handed straight from a return was just used and needs none, so busy pools never
                // come here.
                waiter.PendingSlot = slot;
                waiter.PendingToken = token;
                ThreadPool.UnsafeQueueUserWorkItem(waiter, preferLocal: false);
            }
        }
    }

    /// <summary>Validates the connection taken for a waiter, then hands it over, or requeues the waiter at the head.</summary>
    internal async Task ValidateForWaiterAsync(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        PoolSlot<TConnection, TLease, TPolicy> slot = waiter.PendingSlot!;
        int token = waiter.PendingToken;
        waiter.PendingSlot = null;
        bool valid;
        try
        {
            valid = await AcceptIdleAsync(slot, token, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Nothing here should throw; if something does, the waiter learns of it rather than waiting out its timeout.
            waiter.Fail(exception);
            return;
        }

        if (valid)
        {
            waiter.Complete(Lend(slot, token));
            return;
        }

        RequeueFirst(waiter);
        ServeWaiters();
    }

    private async Task OpenForWaitersAsync()
    {
        Exception? failure = null;
        try
        {
            await OpenIdleAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        lock (_queueLock)
        {
            _opensForWaiters--;
        }

        if (failure is not null)
        {
            FailWaitersAfterOpenFailure(failure, openWasForOldest: true);
        }

        ServeWaiters();
    }

    /// <summary>
    /// After an open gave up: when not one connection is open, no return can serve the waiters either, so while the
    /// database is down every one of them learns why now rather than at its timeout; otherwise only the oldest waiter
    /// fails, and only when the open was made for it.
    /// </summary>
    private void FailWaitersAfterOpenFailure(Exception failure, bool openWasForOldest)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? failed = null;
        lock (_queueLock)
        {
            if (_head is null)
            {
                return;
            }

            if (Volatile.Read(ref _reserved) - Volatile.Read(ref _opening) <= 0)
            {
                failed = DetachAll();
            }
            else if (openWasForOldest)
            {
                failed = _head;
                Unlink(failed);
            }
        }

        if (failed is not null)
        {
            FailDetached(failed, failure);
        }
    }

    /// <summary>Fails every queued waiter with the disposal error.</summary>
    private void FailAllWaiters()
    {
        PoolWaiter<TConnection, TLease, TPolicy>? first;
        lock (_queueLock)
        {
            first = DetachAll();
        }

        if (first is not null)
        {
            FailDetached(first, CreateDisposedException());
        }
    }

    /// <summary>Empties the queue and returns its former head; the caller holds the queue lock.</summary>
    private PoolWaiter<TConnection, TLease, TPolicy>? DetachAll()
    {
        PoolWaiter<TConnection, TLease, TPolicy>? first = _head;
        for (PoolWaiter<TConnection, TLease, TPolicy>? waiter = first; waiter is not null; waiter = waiter.Next)
        {
            waiter.Queued = false;
            Interlocked.Decrement(ref _waiting);
        }

        _head = null;
        _tail = null;
        return first;
    }

    /// <summary>Fails a chain of waiters taken out of the queue, outside the queue lock.</summary>
    private static void FailDetached(PoolWaiter<TConnection, TLease, TPolicy> first, Exception error)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? next;
        for (PoolWaiter<TConnection, TLease, TPolicy>? waiter = first; waiter is not null; waiter = next)
        {
            next = waiter.Next;
            waiter.Next = null;
            waiter.Previous = null;
            waiter.Fail(error);
        }
    }
}
