using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>What a check of a connection taken from the idle set found.</summary>
    private enum Check
    {
        /// <summary>The connection may be lent.</summary>
        Usable,

        /// <summary>It was closed: stale, broken or invalid. Look for another.</summary>
        Unusable,

        /// <summary>The rent's token was canceled during the check; the connection went back or was closed.</summary>
        Canceled,

        /// <summary>The rent's deadline came during the check; the connection went back or was closed.</summary>
        PastDeadline,
    }

    /// <summary>
    /// Validates on the calling thread. A validator that throws has answered: the connection is not usable (the error
    /// is logged and counted). An asynchronous validator is bounded by the validation timeout and by
    /// <paramref name="deadlineMs"/>; a synchronous one cannot be interrupted and runs to its end.
    /// </summary>
    private Check ValidateNow(TConnection connection, long deadlineMs)
    {
        if (_policy.ValidatesAsynchronously && (Options.ValidationTimeoutMs != 0 || deadlineMs != long.MaxValue))
        {
            // The synchronous bridge of an asynchronous validator would wait for it without any bound.
            return ValidateAsync(connection, deadlineMs, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        using Activity? activity = PoolTracing.Start(PoolTracing.Validate, Name);
        bool valid;
        try
        {
            valid = _policy.Validate(connection);
        }
        catch (Exception exception)
        {
            ValidatorThrew(exception);
            valid = false;
        }

        return Traced(activity, Counted(valid));
    }

    /// <summary>Validates for maintenance and health checks: no deadline; throws <see cref="OperationCanceledException"/> when canceled.</summary>
    private async ValueTask<bool> ValidateCountedAsync(TConnection connection, CancellationToken cancellationToken)
    {
        Check check = await ValidateAsync(connection, long.MaxValue, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return check == Check.Usable;
    }

    /// <summary>
    /// Validates asynchronously within the validation timeout and <paramref name="deadlineMs"/>, and until
    /// <paramref name="cancellationToken"/>; the validator's token fires at the first of them, and the wait ends then
    /// even if the validator ignores it. A validation the timeout ends counts as failed; one the rent's deadline or
    /// token ends says so, and the connection's fate is the caller's.
    /// </summary>
    private ValueTask<Check> ValidateAsync(TConnection connection, long deadlineMs, CancellationToken cancellationToken) =>
        PoolTracing.Source.HasListeners()
            ? ValidateTracedAsync(connection, deadlineMs, cancellationToken)
            : ValidateUntracedAsync(connection, deadlineMs, cancellationToken);

    private async ValueTask<Check> ValidateTracedAsync(TConnection connection, long deadlineMs, CancellationToken cancellationToken)
    {
        using Activity? activity = PoolTracing.Start(PoolTracing.Validate, Name);
        return Traced(activity, await ValidateUntracedAsync(connection, deadlineMs, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Ends a validation's span with what it found.</summary>
    private static Check Traced(Activity? activity, Check check)
    {
        switch (check)
        {
            case Check.Unusable:
                PoolTracing.Fail(activity, "invalid", "The validator found the connection unusable, threw, or ran past ValidationTimeoutMs.");
                break;
            case Check.PastDeadline:
                PoolTracing.Fail(activity, "timeout", "The rent's deadline came during the validation.");
                break;
            case Check.Canceled:
                PoolTracing.Fail(activity, "canceled", "The rent was canceled during the validation.");
                break;
        }

        return check;
    }

    private async ValueTask<Check> ValidateUntracedAsync(TConnection connection, long deadlineMs, CancellationToken cancellationToken)
    {
        long boundMs = Options.ValidationTimeoutMs == 0 ? long.MaxValue : Options.ValidationTimeoutMs;
        bool deadlineFirst = false;
        if (deadlineMs != long.MaxValue && deadlineMs - PreciseNowMs() < boundMs)
        {
            boundMs = Math.Max(0, deadlineMs - PreciseNowMs());
            deadlineFirst = true;
        }

        if (!_policy.ValidatesAsynchronously || (boundMs == long.MaxValue && !cancellationToken.CanBeCanceled))
        {
            try
            {
                return Counted(await _policy.ValidateAsync(connection, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Check.Canceled;
            }
            catch (Exception exception)
            {
                ValidatorThrew(exception);
                return Counted(false);
            }
        }

        using DeadlineSource bound = NewDeadline(
            boundMs == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(boundMs), cancellationToken);
        Task<bool> validation;
        try
        {
            validation = _policy.ValidateAsync(connection, bound.Token).AsTask();
        }
        catch (Exception exception)
        {
            ValidatorThrew(exception);
            return Counted(false);
        }

        try
        {
            return Counted(await validation.WaitAsync(bound.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (!bound.IsCancellationRequested)
        {
            ValidatorThrew(exception);
            return Counted(false);
        }
        catch (Exception)
        {
            // A validator still running when the wait ends may fail later; nobody else will look at its exception.
            _ = validation.ContinueWith(
                static task => _ = task.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            if (cancellationToken.IsCancellationRequested)
            {
                return Check.Canceled;
            }

            return deadlineFirst ? Check.PastDeadline : Counted(false);
        }
    }

    private Check Counted(bool valid)
    {
        RecordValidation(valid);
        if (valid)
        {
            return Check.Usable;
        }

        _counters.CountValidationFailure();
        return Check.Unusable;
    }

    private void ValidatorThrew(Exception exception)
    {
        RecordValidationError(exception);
        UserCodeFailed(_failureLogs.Validate, exception);
    }
}
