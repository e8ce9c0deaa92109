using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace PoolGen;

/// <summary>
/// A rent waiting for a connection. Waiters are pooled by their engine and reused, so waiting allocates nothing once
/// the pool has warmed up: the async side is an <see cref="IValueTaskSource{TResult}"/>, the sync side an event, and
/// the timeout timer is created once per waiter and re-armed.
/// </summary>
/// <remarks>
/// Whoever takes the waiter out of the engine's queue (under the queue lock) decides its one outcome: a hand-off, a
/// timeout, a cancellation, the pool's disposal or an open failure. Timer and cancellation callbacks that find the
/// waiter no longer queued do nothing, which also makes a late callback from an earlier use of a recycled waiter
/// harmless.
/// </remarks>
internal sealed class PoolWaiter<TConnection, TLease, TPolicy> : IValueTaskSource<TLease>, IThreadPoolWorkItem
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private static readonly TimerCallback s_timerFired = static state => ((PoolWaiter<TConnection, TLease, TPolicy>)state!).OnTimer();
    private static readonly Action<object?> s_canceled = static state => ((PoolWaiter<TConnection, TLease, TPolicy>)state!).OnCanceled();

    private readonly PoolEngine<TConnection, TLease, TPolicy> _owner;
    private ManualResetValueTaskSourceCore<TLease> _core;
    private ManualResetEventSlim? _signal;
    private ITimer? _timer;

    /// <summary>When the timer will fire, in the engine's milliseconds; <see cref="long.MaxValue"/> when it will not.</summary>
    private long _timerDueMs = long.MaxValue;
    private CancellationTokenRegistration _registration;
    private TLease _lease;
    private Exception? _error;

    public PoolWaiter(PoolEngine<TConnection, TLease, TPolicy> owner)
    {
        _owner = owner;

        // Continuations never run on the thread that completes a waiter: that thread is inside a Dispose, a timer or a
        // Cancel().
        _core.RunContinuationsAsynchronously = true;
    }

    /// <summary>Queue links, guarded by the engine's queue lock.</summary>
    public PoolWaiter<TConnection, TLease, TPolicy>? Next;

    /// <inheritdoc cref="Next"/>
    public PoolWaiter<TConnection, TLease, TPolicy>? Previous;

    /// <summary>Whether the waiter is in the engine's queue; guarded by the queue lock.</summary>
    public bool Queued;

    /// <summary>When the rent started and when it must give up, in the engine's milliseconds.</summary>
    public long StartMs;

    /// <inheritdoc cref="StartMs"/>
    public long DeadlineMs;

    /// <summary>
    /// The start the queue orders by: the real start moved earlier by one aging interval per priority level, so a
    /// rent of higher priority goes ahead of lower ones that started less than that much earlier, and no further.
    /// </summary>
    public long VirtualStartMs;

    /// <summary>How many waiting rents were ahead of this one when it joined the queue.</summary>
    public int AheadAtJoin;

    /// <summary>The connections handed to waiting rents before this one joined, for load shedding's rate.</summary>
    public long HandOffsAtJoin;

    public CancellationToken CancellationToken { get; private set; }

    /// <summary>
    /// A connection taken for this waiter that must be validated before it is handed over; set while the waiter is
    /// out of the queue and queued to the thread pool for that check.
    /// </summary>
    public PoolSlot<TConnection, TLease, TPolicy>? PendingSlot;

    /// <inheritdoc cref="PendingSlot"/>
    public int PendingToken;

    public short Version => _core.Version;

    public bool IsAsync { get; private set; }

    /// <summary>
    /// Prepares the waiter for a rent, before it is queued: whoever takes it out of the queue reads these. A synchronous
    /// rent waits on an event with its own timeout and arms no timer; its deadline still bounds a validation done for it.
    /// </summary>
    public void Prepare(bool isAsync, long startMs, long deadlineMs, CancellationToken cancellationToken, PoolPriority priority, int agingMs)
    {
        IsAsync = isAsync;
        StartMs = startMs;
        VirtualStartMs = startMs - (long)priority * agingMs;
        DeadlineMs = deadlineMs;
        CancellationToken = cancellationToken;
        if (!isAsync)
        {
            _signal ??= new ManualResetEventSlim(false, spinCount: 0);
        }
    }

    /// <summary>
    /// Arms an asynchronous rent's timeout and cancellation callback, once it is queued: a callback that fires at once
    /// finds it in the queue. <see cref="PoolEngine{TConnection, TLease, TPolicy}"/> then catches what fired before.
    /// </summary>
    public void ArmCallbacks()
    {
        if (DeadlineMs != long.MaxValue && _timer is null)
        {
            // The timer outlives this rent; it must not capture the renter's execution context.
            using (ExecutionContext.SuppressFlow())
            {
                _timer = _owner.TimeProvider.CreateTimer(s_timerFired, this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }

        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.UnsafeRegister(s_canceled, this);
        }
    }

    /// <summary>
    /// Makes sure the timer fires no later than this rent's deadline; called once the waiter is queued. A timer still
    /// set for an earlier deadline (a previous rent of this waiter that ended sooner) is left alone: when it fires, it
    /// finds this rent not yet due and re-arms for the rest. So a busy pool, whose waits end long before their
    /// timeouts, rarely touches the timer at all, and each touch takes the runtime's timer lock.
    /// </summary>
    public void EnsureTimer()
    {
        // No timer yet: the rent is still being armed on its own thread, which ensures the timer right after.
        long deadlineMs = DeadlineMs;
        if (deadlineMs != long.MaxValue && _timer is not null && Interlocked.Read(ref _timerDueMs) > deadlineMs)
        {
            SetTimer(deadlineMs);
        }
    }

    /// <summary>Sets the timer to fire at <paramref name="dueMs"/> (at once when that has passed).</summary>
    public void SetTimer(long dueMs)
    {
        Interlocked.Exchange(ref _timerDueMs, dueMs);
        long delayMs = Math.Clamp(dueMs - _owner.CurrentMs, 0, int.MaxValue);
        _timer!.Change(TimeSpan.FromMilliseconds(delayMs), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Completes a waiter taken out of the queue with a connection.</summary>
    public void Complete(TLease lease)
    {
        if (IsAsync)
        {
            _core.SetResult(lease);
        }
        else
        {
            _lease = lease;
            _signal!.Set();
        }
    }

    /// <summary>Completes a waiter taken out of the queue with an error.</summary>
    public void Fail(Exception error)
    {
        if (IsAsync)
        {
            _core.SetException(error);
        }
        else
        {
            _error = error;
            _signal!.Set();
        }
    }

    /// <summary>Blocks a synchronous rent until it is completed or <paramref name="timeoutMs"/> passes.</summary>
    public bool WaitSync(int timeoutMs) => _signal!.Wait(timeoutMs);

    /// <summary>Blocks until the party that took this waiter out of the queue has completed it.</summary>
    public void WaitForCompletion() => _signal!.Wait();

    /// <summary>The outcome of a synchronous rent, read once it has been signalled; the waiter is then recycled.</summary>
    public TLease TakeSyncResult(out Exception? error)
    {
        TLease lease = _lease;
        error = _error;
        _lease = default;
        _error = null;
        _signal!.Reset();
        Recycle();
        return lease;
    }

    public TLease GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Recycle();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Recycle()
    {
        // Dispose waits for a running cancellation callback, so none can touch the next rent that reuses this waiter.
        _registration.Dispose();
        _registration = default;

        // The timer stays set: stopping it would cost a trip through the runtime's timer lock on every wait, and when
        // it fires it finds no rent of this waiter due, or one it re-arms for.
        _owner.ReturnWaiter(this);
    }

    private void OnTimer()
    {
        // Marked as not set before the engine looks at the queue, with a full fence: a rent queued meanwhile either is
        // seen by the engine here, or sees the mark in EnsureTimer and sets the timer itself.
        Interlocked.Exchange(ref _timerDueMs, long.MaxValue);
        _owner.OnWaiterTimer(this);
    }

    private void OnCanceled() => _owner.OnWaiterCanceled(this);

    /// <summary>Runs the validation of <see cref="PendingSlot"/> on the thread pool, off the thread that served it.</summary>
    void IThreadPoolWorkItem.Execute() => _ = _owner.ValidateForWaiterAsync(this);
}
