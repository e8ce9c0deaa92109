using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// The token the pool hands to a factory or a validator: it fires at a deadline on the pool's clock, or when the
/// rent's own token does. Unlike <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>, an exception thrown by a
/// callback registered on the token is caught and reported instead of escaping on a timer thread, where it would end
/// the process.
/// </summary>
/// <remarks>
/// Such callbacks are the provider's: a driver registers one to cancel its query, and it may race with the pool closing
/// the same connection (Npgsql has thrown NullReferenceException from its cancellation callback that way, see
/// npgsql/npgsql#3466).
/// </remarks>
internal sealed class DeadlineSource : IDisposable
{
    private static readonly TimerCallback s_fire = static state => ((DeadlineSource)state!).Cancel();

    private static readonly Action<object?> s_linked = static state => ((DeadlineSource)state!).Cancel();

    private readonly CancellationTokenSource _source = new();
    private readonly Action<Exception> _callbackFailed;
    private readonly ITimer? _timer;
    private readonly CancellationTokenRegistration _link;

    /// <summary>A token that fires after <paramref name="delay"/> (none for <see cref="Timeout.InfiniteTimeSpan"/>) or with <paramref name="linked"/>.</summary>
    /// <param name="delay">How long until the deadline.</param>
    /// <param name="time">The pool's clock.</param>
    /// <param name="linked">The rent's token, or none.</param>
    /// <param name="callbackFailed">Told of an exception a callback on the token threw when it fired.</param>
    public DeadlineSource(TimeSpan delay, TimeProvider time, CancellationToken linked, Action<Exception> callbackFailed)
    {
        _callbackFailed = callbackFailed;
        if (delay != Timeout.InfiniteTimeSpan)
        {
            _timer = time.CreateTimer(s_fire, this, delay, Timeout.InfiniteTimeSpan);
        }

        _link = linked.UnsafeRegister(s_linked, this);
    }

    /// <summary>The token to hand on.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the deadline or the rent's token has fired.</summary>
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <summary>Fires the token now; what its callbacks throw is reported, never thrown.</summary>
    public void Cancel()
    {
        try
        {
            _source.Cancel();
        }
        catch (AggregateException failure)
        {
            _callbackFailed(failure.InnerExceptions.Count == 1 ? failure.InnerExceptions[0] : failure);
        }
        catch (ObjectDisposedException)
        {
            // The call ended and disposed this just as the deadline came: there is nothing left to cancel.
        }
    }

    /// <summary>Stops the timer, unlinks the rent's token, then disposes the source, in that order, so neither fires into a disposed source.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        _link.Dispose();
        _source.Dispose();
    }
}
