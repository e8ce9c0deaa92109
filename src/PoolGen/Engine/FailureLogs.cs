using System;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// The rate-limited logs of one pool's failures: its opens, and each method of the user's it calls. Each kind keeps
/// its own runs, so a failing validator does not hide a failing close.
/// </summary>
internal sealed class FailureLogs
{
    public FailureLogs(ILogger logger, string pool)
    {
        Open = new FailureLog(logger, pool, "opening a connection", PoolLog.OpenFailed);
        Validate = UserCode(logger, pool, "its Validate method",
            "the connection counts as unusable and is closed. While validation keeps throwing, every rent opens a new connection.");
        Reset = UserCode(logger, pool, "its Reset method", "the connection is closed instead of reused.");
        Close = UserCode(logger, pool, "closing a connection", "the connection has left the pool all the same.");
        IsBroken = UserCode(logger, pool, "its IsBroken check", "the connection counts as broken and is closed.");
        Cancellation = UserCode(logger, pool, "a callback on the token it passed to a factory or validator",
            "the token was canceled all the same. The callback is usually the provider's own (it cancels the call), racing with the pool closing the connection.");
        OnStats = UserCode(logger, pool, "its OnStats callback", "the next snapshot is sent at the next interval all the same.");
        Timeout = new FailureLog(logger, pool, "a rent", PoolLog.RentTimedOut);
    }

    /// <summary>Opens that gave up, for a rent or for the pool.</summary>
    public FailureLog Open { get; }

    /// <summary>Validators that threw.</summary>
    public FailureLog Validate { get; }

    /// <summary>Resets that threw.</summary>
    public FailureLog Reset { get; }

    /// <summary>Closes that threw.</summary>
    public FailureLog Close { get; }

    /// <summary>IsBroken checks that threw.</summary>
    public FailureLog IsBroken { get; }

    /// <summary>Callbacks on the pool's deadline tokens that threw when the token fired.</summary>
    public FailureLog Cancellation { get; }

    /// <summary>OnStats callbacks that threw.</summary>
    public FailureLog OnStats { get; }

    /// <summary>Rents that timed out: one line in full, then a summary per interval while they go on.</summary>
    public FailureLog Timeout { get; }

    /// <summary>Logs the summaries of runs whose interval has ended (or all of them, when the pool shuts down).</summary>
    public void Flush(long nowMs, bool force = false)
    {
        Open.Flush(nowMs, force);
        Validate.Flush(nowMs, force);
        Reset.Flush(nowMs, force);
        Close.Flush(nowMs, force);
        IsBroken.Flush(nowMs, force);
        Cancellation.Flush(nowMs, force);
        OnStats.Flush(nowMs, force);
        Timeout.Flush(nowMs, force);
    }

    private static FailureLog UserCode(ILogger logger, string pool, string method, string consequence) =>
        new(logger, pool, method, (log, name, error, exception) => PoolLog.UserCodeFailed(log, name, method, error, consequence, exception));
}
