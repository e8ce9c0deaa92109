using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly Action<object?> s_openForWaiters = static state =>
        _ = ((PoolEngine<TConnection, TLease, TPolicy>)state!).OpenForWaitersAsync();

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
    private bool WaitForHandOff(long startMs, long deadlineMs, int remainingMs, out TLease lease)
    {
        PoolWaiter<TConnection, TLease, TPolicy>? waiter = Join(
            isAsync: false, startMs, deadlineMs, default, out PoolSlot<TConnection, TLease, TPolicy>? slot, out int token);
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
    private PoolWaiter<TConnection, TLease, TPolicy>? Join(
        bool isAsync,
        long startMs,
        long deadlineMs,
        CancellationToken cancellationToken,
        out PoolSlot<TConnection, TLease, TPolicy>? slot,
        out int token)
    {
        PoolWaiter<TConnection, TLease, TPolicy> waiter;
        ServeStep step;
        PoolWaiter<TConnection, TLease, TPolicy>? served;
        lock (_queue.Lock)
        {
            waiter = _queue.PopRecycled() ?? new PoolWaiter<TConnection, TLease, TPolicy>(this);
            waiter.Prepare(isAsync, startMs, deadlineMs, cancellationToken);

            // Linking counts the waiter with a full fence before the slots are scanned: a return that made a slot
            // idle before it is found here, and one after it sees the count and serves.
            _queue.Enqueue(waiter);
            step = TakeForOldestLocked(out served, out slot, out token);
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
    /// Hands idle connections to the oldest waiters, and opens new connections for waiters while the pool is below
    /// Max. Called by anyone who may have made that possible for more than one waiter: a close, a new waiter, a
    /// resize, a finished open.
    /// </summary>
    private void ServeWaiters()
    {
        while (ServeOldestWaiter())
        {
        }
    }

    /// <summary>
    /// Serves the oldest waiter, with an idle connection or by starting an open for it; false when there is no waiter
    /// or nothing to serve it with. A return calls this once: it made one connection idle, and whoever makes another
    /// one idle serves again, so looping would only take the lock a second time to find nothing.
    /// </summary>
    private bool ServeOldestWaiter()
    {
        if (_queue.Count == 0)
        {
            return false;
        }

        ServeStep step;
        PoolWaiter<TConnection, TLease, TPolicy>? waiter;
        PoolSlot<TConnection, TLease, TPolicy>? slot;
        int token;
        lock (_queue.Lock)
        {
            step = TakeForOldestLocked(out waiter, out slot, out token);
        }

        Serve(step, waiter, slot, token);
        return step != ServeStep.None;
    }

    /// <summary>What one step of serving the queue found for its oldest waiter.</summary>
    private enum ServeStep
    {
        /// <summary>No waiter, the pool is shutting down, or there is nothing to serve a waiter with.</summary>
        None,

        /// <summary>An idle connection, taken, and the oldest waiter, taken out of the queue.</summary>
        Connection,

        /// <summary>Room for one more connection, reserved for the waiters.</summary>
        Open,
    }

    /// <summary>
    /// One step of serving the queue: takes an idle connection and the oldest waiter for it, or reserves room to open
    /// one for the waiters. The caller holds the queue lock and acts on the result with <see cref="Serve"/> after
    /// releasing it.
    /// </summary>
    private ServeStep TakeForOldestLocked(
        out PoolWaiter<TConnection, TLease, TPolicy>? waiter,
        out PoolSlot<TConnection, TLease, TPolicy>? slot,
        out int token)
    {
        waiter = _queue.Oldest;
        if (waiter is not null && Volatile.Read(ref _disposed) == 0)
        {
            if (_table.TryTakeIdle(out slot, out token))
            {
                _queue.Remove(waiter);
                return ServeStep.Connection;
            }

            if (_queue.OpensForWaiters < _queue.Count && TryReserve())
            {
                _queue.OpensForWaiters++;
                waiter = null;
                return ServeStep.Open;
            }
        }

        waiter = null;
        slot = null;
        token = 0;
        return ServeStep.None;
    }

    /// <summary>Acts, outside the queue lock, on a step of <see cref="TakeForOldestLocked"/>.</summary>
    private void Serve(
        ServeStep step,
        PoolWaiter<TConnection, TLease, TPolicy>? waiter,
        PoolSlot<TConnection, TLease, TPolicy>? slot,
        int token)
    {
        if (step == ServeStep.Connection)
        {
            HandOver(waiter!, slot!, token);
        }
        else if (step == ServeStep.Open)
        {
            // Opening runs user code that may block; it must not run on the thread that is returning a lease.
            ThreadPool.UnsafeQueueUserWorkItem(s_openForWaiters, this, preferLocal: false);
        }
    }

    /// <summary>Gives an idle connection just taken to a waiter just taken out of the queue.</summary>
    private void HandOver(PoolWaiter<TConnection, TLease, TPolicy> waiter, PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        if (IsReadyToLend(slot))
        {
            waiter.Complete(Lend(slot, token));
            return;
        }

        // The connection needs validating, which is user code and may take a round trip: do it on the thread pool. A
        // connection handed straight from a return was just used and needs none, so busy pools never come here.
        waiter.PendingSlot = slot;
        waiter.PendingToken = token;
        ThreadPool.UnsafeQueueUserWorkItem(waiter, preferLocal: false);
    }

    /// <summary>
    /// Validates the connection taken for a waiter, within the waiter's deadline and until its token, then hands it
    /// over, or requeues the waiter at the head when the connection failed.
    /// </summary>
    internal async Task ValidateForWaiterAsync(PoolWaiter<TConnection, TLease, TPolicy> waiter)
    {
        PoolSlot<TConnection, TLease, TPolicy> slot = waiter.PendingSlot!;
        int token = waiter.PendingToken;
        waiter.PendingSlot = null;
        Check check;
        try
        {
            check = await AcceptIdleAsync(slot, token, waiter.DeadlineMs, waiter.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Nothing here should throw; if something does, the waiter learns of it rather than waiting out its timeout.
            waiter.Fail(exception);
            return;
        }

        switch (check)
        {
            case Check.Usable:
                waiter.Complete(Lend(slot, token));
                return;
            case Check.Canceled:
                waiter.Fail(CreateCanceledException(waiter.CancellationToken));
                break;
            case Check.PastDeadline:
                waiter.Fail(CreateTimeoutException(waiter.StartMs));
                break;
            default:
                RequeueFirst(waiter);
                break;
        }

        // The connection was closed: its room may serve the next waiter.
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

        lock (_queue.Lock)
        {
            _queue.OpensForWaiters--;
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
