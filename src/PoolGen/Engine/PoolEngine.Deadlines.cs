using System;
using System.Threading;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>When a rent started at <paramref name="startMs"/> must give up; <see cref="long.MaxValue"/> for never.</summary>
    private static long DeadlineOf(long startMs, int timeoutMs) =>
        timeoutMs == Timeout.Infinite ? long.MaxValue : startMs + timeoutMs;

    /// <summary>What is left of a rent's timeout: <see cref="Timeout.Infinite"/>, or 0 when it has run out.</summary>
    private int RemainingMs(long startMs, int timeoutMs)
    {
        if (timeoutMs == Timeout.Infinite)
        {
            return Timeout.Infinite;
        }

        long remaining = startMs + timeoutMs - PreciseNowMs();
        return remaining <= 0 ? 0 : (int)remaining;
    }

    /// <summary>The error of a rent that ran out of time; counted in <see cref="PoolStats.Timeouts"/>.</summary>
    /// <param name="startMs">When the rent started.</param>
    /// <param name="openInProgress">Whether the deadline came while a connection was being opened for the rent.</param>
    private PoolTimeoutException CreateTimeoutException(long startMs, bool openInProgress = false)
    {
        _counters.CountTimeout();
        RecordTimeout();
        PoolStats stats = GetStats();
        var timeout = new PoolTimeoutException(
            Name,
            TimeSpan.FromMilliseconds(PreciseNowMs() - startMs),
            stats.Max,
            stats.Leased,
            stats.Idle,
            stats.Pending,
            LatestOpenFailure(),
            openInProgress);

        // One kind, whatever the elapsed time in the message: a burst of timeouts is one line and a summary.
        _failureLogs.Timeout.Report(timeout, PreciseNowMs(), kind: openInProgress ? "timeout while opening" : "timeout");
        return timeout;
    }

    /// <summary>
    /// The error of a rent canceled through its token, whether before it started, while it waited, or while a
    /// connection was opened or checked for it; counted in <see cref="PoolStats.Cancellations"/>.
    /// </summary>
    private OperationCanceledException CreateCanceledException(CancellationToken cancellationToken)
    {
        _counters.CountCancellation();
        return new OperationCanceledException(
            $"A rent from pool '{Name}' was canceled before it got a connection.", cancellationToken);
    }

    private int ToMilliseconds(TimeSpan timeout)
    {
        double ms = timeout.TotalMilliseconds;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.Infinite;
        }

        if (ms < 0 || ms > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout),
                timeout,
                $"Pool '{Name}': a rent timeout must be between 0 and {int.MaxValue} ms, or Timeout.InfiniteTimeSpan.");
        }

        return (int)ms;
    }
}
