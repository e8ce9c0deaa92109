using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The entries of the rents that cannot be served at once from the idle set. While no listener records the wait
/// histogram or samples traces they go straight to the rent's work; otherwise they time it and trace it.
/// </summary>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// A synchronous rent that could not lend at once (<paramref name="taken"/>, when given, is an idle connection it
    /// took that needs checking first), timed for the wait histogram and traced as a wait while a listener asks.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TLease RentSlow(int timeoutMs, PoolSlot<TConnection, TLease, TPolicy>? taken, int takenToken)
    {
        if (!ObservesSlowRents)
        {
            return RentSlowUnobserved(timeoutMs, taken, takenToken);
        }

        long started = _settings.Time.GetTimestamp();

        // A rent that took an idle connection to check does not wait; the check has its span.
        using Activity? activity = taken is null ? PoolTracing.Start(PoolTracing.Wait, Name) : null;
        try
        {
            TLease lease = RentSlowUnobserved(timeoutMs, taken, takenToken);
            if (_waitTime.Enabled)
            {
                RecordWaitSince(started);
            }

            return lease;
        }
        catch (Exception exception)
        {
            PoolTracing.Fail(activity, exception);
            throw;
        }
    }

    /// <summary>An asynchronous rent that took an idle connection needing a check first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TLease> RentIdleCheckedAsync(
        int timeoutMs, PoolSlot<TConnection, TLease, TPolicy> slot, int token, CancellationToken cancellationToken)
    {
        if (_waitTime.Enabled)
        {
            return RentObservedAsync(timeoutMs, slot, token, cancellationToken);
        }

        long startMs = PreciseNowMs();
        return RentCheckedAsync(startMs, DeadlineOf(startMs, timeoutMs), slot, token, cancellationToken);
    }

    /// <summary>An asynchronous rent that found no idle connection: it opens one of its own or waits.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<TLease> RentWithoutIdleAsync(int timeoutMs, CancellationToken cancellationToken) =>
        ObservesSlowRents
            ? RentObservedAsync(timeoutMs, null, 0, cancellationToken)
            : RentWithoutIdleUnobservedAsync(timeoutMs, cancellationToken);

    /// <summary>
    /// A slow asynchronous rent timed for the wait histogram and, when it found no idle connection, traced as a wait;
    /// only while a listener records or samples. As an async method it keeps its span out of the caller's context.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TLease> RentObservedAsync(
        int timeoutMs, PoolSlot<TConnection, TLease, TPolicy>? taken, int takenToken, CancellationToken cancellationToken)
    {
        long started = _settings.Time.GetTimestamp();

        // Started before the rent's work, so the spans of the opens it makes are its children.
        using Activity? activity = taken is null ? PoolTracing.Start(PoolTracing.Wait, Name) : null;
        try
        {
            long startMs = PreciseNowMs();
            TLease lease = taken is null
                ? await RentWithoutIdleUnobservedAsync(timeoutMs, cancellationToken).ConfigureAwait(false)
                : await RentCheckedAsync(startMs, DeadlineOf(startMs, timeoutMs), taken, takenToken, cancellationToken).ConfigureAwait(false);
            if (_waitTime.Enabled)
            {
                RecordWaitSince(started);
            }

            return lease;
        }
        catch (Exception exception)
        {
            PoolTracing.Fail(activity, exception);
            throw;
        }
    }
}
