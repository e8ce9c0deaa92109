using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Validates on the calling thread. A validator that throws, or an asynchronous one that overruns the validation
    /// timeout, has answered: the connection is not usable. Failures are counted.
    /// </summary>
    private bool ValidateNow(TConnection connection)
    {
        bool valid;
        if (_policy.ValidatesAsynchronously && _validationTimeoutMs != 0)
        {
            // The synchronous bridge of an asynchronous validator would wait for it without any bound.
            valid = ValidateBoundedAsync(connection, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        else
        {
            try
            {
                valid = _policy.Validate(connection);
            }
            catch (Exception)
            {
                valid = false;
            }
        }

        if (!valid)
        {
            CountValidationFailure();
        }

        return valid;
    }

    /// <summary>
    /// Validates asynchronously, bounded by the validation timeout; counts a failure. Throws only
    /// <see cref="OperationCanceledException"/>, when <paramref name="cancellationToken"/> is canceled.
    /// </summary>
    private async ValueTask<bool> ValidateCountedAsync(TConnection connection, CancellationToken cancellationToken)
    {
        bool valid = await ValidateBoundedAsync(connection, cancellationToken).ConfigureAwait(false);
        if (!valid)
        {
            CountValidationFailure();
        }

        return valid;
    }

    private async ValueTask<bool> ValidateBoundedAsync(TConnection connection, CancellationToken cancellationToken)
    {
        if (!_policy.ValidatesAsynchronously || _validationTimeoutMs == 0)
        {
            try
            {
                return await _policy.ValidateAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception)
            {
                return false;
            }
        }

        // The validator gets a token that fires at the timeout, and the wait ends then even if it ignores the token.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_validationTimeoutMs), _time);
        using CancellationTokenRegistration link = cancellationToken.UnsafeRegister(
            static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        Task<bool> validation;
        try
        {
            validation = _policy.ValidateAsync(connection, timeout.Token).AsTask();
        }
        catch (Exception)
        {
            return false;
        }

        try
        {
            return await validation.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A validator still running when the wait ends may fail later; nobody else will look at its exception.
            _ = validation.ContinueWith(
                static task => _ = task.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    private void CountValidationFailure() => Interlocked.Increment(ref _validationFailures);
}
