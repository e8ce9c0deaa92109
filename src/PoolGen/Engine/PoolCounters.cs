using System.Threading;

namespace PoolGen;

/// <summary>
/// The counters of one pool: how often each thing happened since it started. Each is incremented where the event
/// happens, off the hot path (rents are counted per slot, by the slot's owner, so counting them contends on nothing);
/// <see cref="PoolStats"/> and the observable metrics read them, so a metric costs nothing until it is read.
/// </summary>
internal sealed class PoolCounters
{
    private long _created;
    private long _closed;
    private readonly long[] _closedFor = new long[CloseReasons.Count];
    private long _createFailures;
    private long _validationFailures;
    private long _resetFailures;
    private long _timeouts;
    private long _cancellations;
    private long _waits;
    private long _staleDisposals;
    private long _broken;
    private long _leaksSuspected;
    private long _userCodeErrors;

    public long Created => Interlocked.Read(ref _created);

    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>Connections closed for <paramref name="reason"/>.</summary>
    public long ClosedFor(CloseReason reason) => Interlocked.Read(ref _closedFor[(int)reason]);

    public long CreateFailures => Interlocked.Read(ref _createFailures);

    public long ValidationFailures => Interlocked.Read(ref _validationFailures);

    public long ResetFailures => Interlocked.Read(ref _resetFailures);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public long Cancellations => Interlocked.Read(ref _cancellations);

    public long Waits => Interlocked.Read(ref _waits);

    public long StaleDisposals => Interlocked.Read(ref _staleDisposals);

    public long Broken => Interlocked.Read(ref _broken);

    public long LeaksSuspected => Interlocked.Read(ref _leaksSuspected);

    public long UserCodeErrors => Interlocked.Read(ref _userCodeErrors);

    /// <summary>A connection was opened and joined the pool.</summary>
    public void CountCreated() => Interlocked.Increment(ref _created);

    /// <summary>A connection left the pool and was closed, for <paramref name="reason"/>.</summary>
    public void CountClosed(CloseReason reason)
    {
        Interlocked.Increment(ref _closedFor[(int)reason]);
        Interlocked.Increment(ref _closed);
    }

    /// <summary>A factory call failed.</summary>
    public void CountCreateFailure() => Interlocked.Increment(ref _createFailures);

    /// <summary>A validation said a connection is unusable, or timed out.</summary>
    public void CountValidationFailure() => Interlocked.Increment(ref _validationFailures);

    /// <summary>A reset threw, and its connection was closed.</summary>
    public void CountResetFailure() => Interlocked.Increment(ref _resetFailures);

    /// <summary>A rent ran out of time.</summary>
    public void CountTimeout() => Interlocked.Increment(ref _timeouts);

    /// <summary>A rent was canceled through its token.</summary>
    public void CountCancellation() => Interlocked.Increment(ref _cancellations);

    /// <summary>A rent had to wait for a connection.</summary>
    public void CountWait() => Interlocked.Increment(ref _waits);

    /// <summary>A lease already returned was disposed again.</summary>
    public void CountStaleDisposal() => Interlocked.Increment(ref _staleDisposals);

    /// <summary>A connection was invalidated by its lease or found broken.</summary>
    public void CountBroken() => Interlocked.Increment(ref _broken);

    /// <summary>A lease was reported as held too long.</summary>
    public void CountLeakSuspected() => Interlocked.Increment(ref _leaksSuspected);

    /// <summary>One of the user's Validate, Reset, Close or IsBroken methods threw.</summary>
    public void CountUserCodeError() => Interlocked.Increment(ref _userCodeErrors);
}
