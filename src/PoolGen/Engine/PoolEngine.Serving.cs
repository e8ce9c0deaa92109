using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <content>
/// Serving the waiter queue: one step at a time, under the queue's lock, takes an idle connection and the oldest waiter
/// for it, or reserves room to open one for the waiters; outside the lock, the connection is handed over (validated
/// first on the thread pool when it needs it) or the open starts on the thread pool.
/// </content>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly Action<object?> s_openForWaiters = static state =>
        _ = ((PoolEngine<TConnection, TLease, TPolicy>)state!).OpenForWaitersAsync();

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

            if (_queue.WantsAnotherOpen && TryReserve())
            {
                _queue.OpenStarted();
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
            RecordHandOff(waiter);
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
                RecordHandOff(waiter);
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
            _queue.OpenEnded();
        }

        if (failure is not null)
        {
            FailWaitersAfterOpenFailure(failure, openWasForOldest: true);
        }

        ServeWaiters();
    }
}
