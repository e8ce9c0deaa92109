using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TPolicy>
{
    private static readonly Action<object?> s_openForWaiters = static state =>
        _ = ((PoolEngine<TConnection, TPolicy>)state!).OpenForWaitersAsync();

    /// <summary>Guards the waiter queue and the pool of recycled waiters. No user code ever runs under it.</summary>
    private readonly object _queueLock = new();

    private PoolWaiter<TConnection, TPolicy>? _head;
    private PoolWaiter<TConnection, TPolicy>? _tail;
    private PoolWaiter<TConnection, TPolicy>? _recycled;

    /// <summary>Queued waiters. Read without the lock on the hot path; changed with a full fence under the lock.</summary>
    private int _waiting;

    /// <summary>Opens started for waiters and not finished; guarded by the queue lock.</summary>
    private int _opensForWaiters;

    /// <summary>The pool's clock, for its waiters' timers.</summary>
    internal TimeProvider TimeProvider => _time;

    /// <summary>The pool's clock in milliseconds, for its waiters.</summary>
    internal long CurrentMs => NowMs();

    /// <summary>Queues a synchronous rent and blocks until it gets a connection, or throws when it cannot.</summary>
    private PoolHandle<TConnection, TPolicy> WaitForHandOff(long startMs, int remainingMs)
    {
        PoolWaiter<TConnection, TPolicy> waiter = RentWaiter();
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

        PoolHandle<TConnection, TPolicy> handle = waiter.TakeSyncResult(out Exception? error);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return handle;
    }

    private PoolWaiter<TConnection, TPolicy> RentWaiter()
    {
        lock (_queueLock)
        {
            PoolWaiter<TConnection, TPolicy>? waiter = _recycled;
            if (waiter is not null)
            {
                _recycled = waiter.Next;
                waiter.Next = null;
                return waiter;
            }
        }

        return new PoolWaiter<TConnection, TPolicy>(this);
    }

    internal void ReturnWaiter(PoolWaiter<TConnection, TPolicy> waiter)
    {
        lock (_queueLock)
        {
            waiter.Next = _recycled;
            _recycled = waiter;
        }
    }

    private void Enqueue(PoolWaiter<TConnection, TPolicy> waiter)
    {
        lock (_queueLock)
        {
            waiter.Previous = _tail;
            waiter.Next = null;
            if (_tail is null)
            {
                _head = waiter;
            }
            else
            {
                _tail.Next = waiter;
            }

            _tail = waiter;
            waiter.Queued = true;
            Interlocked.Increment(ref _waiting);
        }

        Interlocked.Increment(ref _waits);

        // The timer and the cancellation callback were armed before the waiter was queued, and ignore a waiter that is
        // not queued: catch what they may have missed.
        if (waiter.IsAsync)
        {
            if (waiter.CancellationToken.IsCancellationRequested)
            {
                OnWaiterCanceled(waiter);
            }
            else if (NowMs() >= waiter.DeadlineMs)
            {
                OnWaiterTimedOut(waiter);
            }
        }
    }

    /// <summary>Takes a waiter out of the queue if it is still there; the caller then decides its outcome.</summary>
    private bool TryDequeue(PoolWaiter<TConnection, TPolicy> waiter)
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
    private void Unlink(PoolWaiter<TConnection, TPolicy> waiter)
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

    internal void OnWaiterTimedOut(PoolWaiter<TConnection, TPolicy> waiter)
    {
        if (TryDequeue(waiter))
        {
            waiter.Fail(CreateTimeoutException(waiter.StartMs));
        }
    }

    internal void OnWaiterCanceled(PoolWaiter<TConnection, TPolicy> waiter)
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
            PoolWaiter<TConnection, TPolicy>? waiter = null;
            PoolSlot<TConnection, TPolicy>? slot = null;
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

            if (waiter is not null)
            {
                waiter.Complete(new PoolHandle<TConnection, TPolicy>(slot!, token));
            }
            else
            {
                // Opening runs user code that may block; it must not run on the thread that is returning a lease.
                ThreadPool.UnsafeQueueUserWorkItem(s_openForWaiters, this, preferLocal: false);
            }
        }
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

        PoolWaiter<TConnection, TPolicy>? failed = null;
        lock (_queueLock)
        {
            _opensForWaiters--;
            if (failure is not null && _head is not null)
            {
                // The open was for the oldest waiter: it learns why now rather than at its timeout.
                failed = _head;
                Unlink(failed);
            }
        }

        failed?.Fail(failure!);
        ServeWaiters();
    }

    /// <summary>Fails every queued waiter with the disposal error.</summary>
    private void FailAllWaiters()
    {
        PoolWaiter<TConnection, TPolicy>? first;
        lock (_queueLock)
        {
            first = _head;
            for (PoolWaiter<TConnection, TPolicy>? waiter = first; waiter is not null; waiter = waiter.Next)
            {
                waiter.Queued = false;
                Interlocked.Decrement(ref _waiting);
            }

            _head = null;
            _tail = null;
        }

        ObjectDisposedException error = CreateDisposedException();
        PoolWaiter<TConnection, TPolicy>? next;
        for (PoolWaiter<TConnection, TPolicy>? waiter = first; waiter is not null; waiter = next)
        {
            next = waiter.Next;
            waiter.Next = null;
            waiter.Previous = null;
            waiter.Fail(error);
        }
    }
}
