using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>The rents waiting for a connection. A field, never copied: see <see cref="WaiterQueue{TConnection, TLease, TPolicy}"/>.</summary>
    private WaiterQueue<TConnection, TLease, TPolicy> _queue = new();

    /// <summary>The pool's clock, for its waiters' timers.</summary>
    internal TimeProvider TimeProvider => _settings.Time;

    /// <summary>The pool's clock in milliseconds, for its waiters.</summary>
    internal long CurrentMs => PreciseNowMs();

    /// <summary>
    /// Queues a synchronous rent and blocks until it gets a connection, or throws when it cannot. False when the rent
    /// was served at once with an idle connection that then failed its checks: the caller looks again.
    /// </summary>
    private bool WaitForHandOff(long startMs, long deadlineMs, int remainingMs, PoolPriority priority, out TLease lease)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? waiter = Join(
            isAsync: false, startMs, deadlineMs, default, priority, out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token);
        if (waiter is null)
        {
            bool accepted = Accepted(slot!, token, startMs, deadlineMs);
            lease = accepted ? Lend(slot!, token) : default;
            return accepted;
        }

        if (!waiter.WaitSync(remainingMs))
        {
            if (!_queue.TryRemove(waiter))
            {
                // Someone took the waiter out of the queue just now and is completing it.
                waiter.WaitForCompletion();
            }
            else
            {
                waiter.Fail(CreateTimeoutException(startMs));
            }
        }

        lease = waiter.TakeSyncResult(out Exception? error);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return true;
    }

    /// <summary>
    /// Queues a rent behind the rents already waiting, and takes the first step of serving the queue in the same turn
    /// of the queue lock: a connection idle by now goes to the oldest waiter, or an open starts for it. When the
    /// oldest waiter is this rent itself, nothing is queued: the result is null and <paramref name="slot"/> holds the
    /// idle connection, taken but not yet checked.
    /// </summary>
    /// <remarks>
    /// An overloaded pool refuses the rent instead, with <see cref="PoolOverloadedException"/>: the queue is at
    /// MaxPendingRents, or, with ShedLoad, the rent would not be served before its deadline at the recent rate.
    /// </remarks>
    private PoolWaiter<TConnection, TLease, TPolicy>? Join(
        bool isAsync,
        long startMs,
        long deadlineMs,
        CancellationToken cancellationToken,
        PoolPriority priority,
        out PoolSlot<TConnection, TLease, TPolicy>? slot,
        out int token)
    {
        PoolWaiter<TConnection, TLease, TPolicy> waiter;
        ServeStep step;
        PoolWaiter<TConnection, TLease, TPolicy>? served;
        PoolOverloadedException? refused;
        lock (_queue.Lock)
        {
            waiter = _queue.PopRecycled() ?? new PoolWaiter<TConnection, TLease, TPolicy>(this);
            waiter.Prepare(isAsync, startMs, deadlineMs, cancellationToken, priority, Options.PriorityAgingMs);
            waiter.AheadAtJoin = _queue.CountAhead(waiter);
            waiter.HandOffsAtJoin = _shedder.HandOffs;
            refused = RefuseLocked(waiter);
            if (refused is null)
            {
                // Linking counts the waiter with a full fence before the slots are scanned: a return that made a slot
                // idle before it is found here, and one after it sees the count and serves.
                _queue.Enqueue(waiter);
                step = TakeForOldestLocked(out served, out slot, out token);
            }
            else
            {
                (step, served, slot, token) = (ServeStep.None, null, null, 0);
            }
        }

        if (refused is not null)
        {
            ReturnWaiter(waiter);
            _counters.CountShed();
            _failureLogs.Timeout.Report(refused, PreciseNowMs(), kind: "overloaded");
            throw refused;
        }

        if (step == ServeStep.Connection && served == waiter)
        {
            ReturnWaiter(waiter);
            return null;
        }

        _counters.CountWait();
        if (isAsync)
        {
            waiter.ArmCallbacks();
        }

        CatchMissedCallbacks(waiter);
        if (step != ServeStep.None)
        {
            Serve(step, served, slot, token);
            ServeWaiters();
        }

        slot = null;
        token = 0;
        return waiter;
    }

    /// <summary>Takes back a waiter whose rent has ended, for the next rent that waits; called without the queue lock.</summary>
    internal void ReturnWaiter(PoolWaiter<TConnection, TLease, TPolicy> waiter) => _queue.PushRecycled(waiter);

    /// <summary>Puts a waiter whose connection failed validation back at the head of the queue: it keeps its turn.</summary>
    private void RequeueFirst(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (_queue.Lock)
        {
            _queue.Enqueue(waiter, first: true);
        }

        CatchMissedCallbacks(waiter);
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

    /// <summary>
    /// A waiter's timer fired: times the rent out if it is queued and due, re-arms the timer if it is queued and not
    /// yet due (the timer was set for an earlier rent of this waiter, or fired a moment early), and otherwise does
    /// nothing (the rent already ended).
    /// </summary>
    internal void OnWaiterTimer(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        lock (_queue.Lock)
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

            _queue.Remove(waiter);
        }

        waiter.Fail(CreateTimeoutException(waiter.StartMs));
    }

    internal void OnWaiterCanceled(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        if (_queue.TryRemove(waiter))
        {
            waiter.Fail(CreateCanceledException(waiter.CancellationToken));
        }
    }

    /// <summary>
    /// After an open gave up: when not one connection is open, no return can serve the waiters either, so while the
    /// database is down every one of them learns why now rather than at its timeout; otherwise only the oldest waiter
    /// fails, and only when the open was made for it.
    /// </summary>
    private void FailWaitersAfterOpenFailure(Exception failure, bool openWasForOldest)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? failed = null;
        lock (_queue.Lock)
        {
            if (_queue.Oldest is null)
            {
                return;
            }

            if (_table.Reserved - _table.Opening <= 0)
            {
                failed = _queue.RemoveAll();
            }
            else if (openWasForOldest)
            {
                failed = _queue.Oldest;
                _queue.Remove(failed);
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
        lock (_queue.Lock)
        {
            first = _queue.RemoveAll();
        }

        if (first is not null)
        {
            FailDetached(first, CreateDisposedException());
        }
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
