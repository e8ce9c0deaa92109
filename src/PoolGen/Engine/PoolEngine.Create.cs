using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly Func<object?, TConnection> s_createOnThread =
        static state => ((PoolEngine<TConnection, TLease, TPolicy>)state!)._policy.Create();

    private static readonly Action<Task<TConnection>, object?> s_adoptAbandoned =
        static (call, state) => ((PoolEngine<TConnection, TLease, TPolicy>)state!).AdoptAbandoned(call);

    /// <summary>How one factory call ended.</summary>
    private enum CreateOutcome
    {
        /// <summary>It returned a connection.</summary>
        Created,

        /// <summary>It threw, or returned null; the room reserved for it is still the caller's.</summary>
        Failed,

        /// <summary>
        /// The deadline came or the token was canceled first. Either the call ended (the caller still owns the room) or
        /// it runs on and owns the room from now on: its connection joins the pool when it comes.
        /// </summary>
        CutShort,
    }

    /// <summary>
    /// Calls the factory once for a synchronous rent and waits for it at most <paramref name="remainingMs"/>. Without a
    /// deadline a synchronous factory runs on the calling thread, as a plain call; with one, it runs on a thread of its
    /// own, because a blocked call cannot be abandoned.
    /// </summary>
    private CreateOutcome CreateOnce(int remainingMs, out TConnection? connection, out Exception? failure, out bool roomPassedOn)
    {
        roomPassedOn = false;
        if (remainingMs == Timeout.Infinite && !_policy.CreatesAsynchronously)
        {
            try
            {
                connection = _policy.Create();
            }
            catch (Exception exception)
            {
                connection = null;
                failure = exception;
                return CreateOutcome.Failed;
            }

            return Created(connection, out failure);
        }

        using DeadlineSource bound = NewDeadline(TimeSpan.FromMilliseconds(remainingMs), CancellationToken.None);
        Task<TConnection> call = StartCreate(bound.Token);
        try
        {
            // Task.Wait lets the thread pool add a thread when this rent blocks one of its threads.
            call.Wait(remainingMs);
        }
        catch (AggregateException)
        {
            // The outcome is read from the task below.
        }

        if (!call.IsCompleted)
        {
            bound.Cancel();
            Abandon(call);
            roomPassedOn = true;
        }

        return Ended(call, bound.IsCancellationRequested, out connection, out failure);
    }

    /// <summary>Calls the factory once, waiting at most <paramref name="remainingMs"/> and until <paramref name="cancellationToken"/>.</summary>
    private async ValueTask<(CreateOutcome Outcome, TConnection? Connection, Exception? Failure, bool RoomPassedOn)> CreateOnceAsync(
        int remainingMs, CancellationToken cancellationToken)
    {
        if (remainingMs == Timeout.Infinite && !cancellationToken.CanBeCanceled)
        {
            try
            {
                TConnection created = await _policy.CreateAsync(CancellationToken.None).ConfigureAwait(false);
                return (Created(created, out Exception? nullResult), created, nullResult, false);
            }
            catch (Exception exception)
            {
                return (CreateOutcome.Failed, null, exception, false);
            }
        }

        using DeadlineSource bound = NewDeadline(
            remainingMs == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(remainingMs), cancellationToken);

        // Registered before the factory sees the token: a source runs its callbacks last-registered first, so a factory
        // that honours its token has ended by the time this wait ends, and is not taken for one that runs on.
        var boundFired = new TaskCompletionSource();
        using CancellationTokenRegistration signal = bound.Token.UnsafeRegister(
            static state => ((TaskCompletionSource)state!).TrySetResult(), boundFired);
        Task<TConnection> call = StartCreate(bound.Token);
        bool roomPassedOn = false;
        await Task.WhenAny(call, boundFired.Task).ConfigureAwait(false);

        if (!call.IsCompleted)
        {
            Abandon(call);
            roomPassedOn = true;
        }

        CreateOutcome outcome = Ended(call, bound.IsCancellationRequested, out TConnection? connection, out Exception? failure);
        return (outcome, connection, failure, roomPassedOn);
    }

    /// <summary>
    /// A token for a factory or validator call that fires after <paramref name="delay"/>, on the pool's clock, or when
    /// <paramref name="cancellationToken"/> does; a provider's callback that throws when it fires is logged and counted.
    /// </summary>
    private DeadlineSource NewDeadline(TimeSpan delay, CancellationToken cancellationToken) =>
        new(delay, _settings.Time, cancellationToken, exception => UserCodeFailed(_failureLogs.Cancellation, exception));

    /// <summary>Starts a factory call that can be abandoned: the asynchronous factory itself, or the synchronous one on a thread of its own.</summary>
    private Task<TConnection> StartCreate(CancellationToken cancellationToken)
    {
        if (!_policy.CreatesAsynchronously)
        {
            // A thread of its own: a factory that blocks for its whole connect timeout must not hold a thread-pool thread,
            // and a starved thread pool must not delay opens that rents are waiting for.
            return Task.Factory.StartNew(
                s_createOnThread, this, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        }

        try
        {
            return _policy.CreateAsync(cancellationToken).AsTask();
        }
        catch (Exception exception)
        {
            return Task.FromException<TConnection>(exception);
        }
    }

    /// <summary>A factory that returned null has failed, in a way no retry will mend.</summary>
    private CreateOutcome Created(TConnection? connection, out Exception? failure)
    {
        failure = connection is null ? new FactoryReturnedNullException(Name, _policy.FactoryName) : null;
        return connection is null ? CreateOutcome.Failed : CreateOutcome.Created;
    }

    private CreateOutcome Ended(Task<TConnection> call, bool boundFired, out TConnection? connection, out Exception? failure)
    {
        connection = null;
        failure = null;
        if (call.IsCompletedSuccessfully)
        {
            // A connection that came as the deadline fired is still a connection: use it.
            connection = call.Result;
            return Created(connection, out failure);
        }

        if (!call.IsCompleted || (boundFired && call.IsCanceled) || (boundFired && call.Exception?.InnerException is OperationCanceledException))
        {
            return CreateOutcome.CutShort;
        }

        failure = call.Exception?.InnerException ?? new TaskCanceledException(call);
        return CreateOutcome.Failed;
    }

    /// <summary>
    /// Leaves a factory call that outran its rent's deadline to finish on its own; from now on the room reserved for
    /// it belongs to the call.
    /// </summary>
    private void Abandon(Task<TConnection> call)
    {
        _ = call.ContinueWith(s_adoptAbandoned, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A factory call whose rent gave up has ended: its connection joins the pool (serving a waiter, if any), or is
    /// closed when the pool no longer wants it; a failure gives the room back.
    /// </summary>
    private void AdoptAbandoned(Task<TConnection> call)
    {
        if (call.IsCompletedSuccessfully && call.Result is { } connection)
        {
            (PoolSlot<TConnection, TLease, TPolicy> slot, int token) = Install(connection);
            KeepOrCloseArrival(slot, token);
            return;
        }

        if (call.Exception?.InnerException is { } failure and not OperationCanceledException)
        {
            _counters.CountCreateFailure();
            RecordOpenFailed(failure);
        }
        else if (call.IsCompletedSuccessfully)
        {
            _counters.CountCreateFailure();
            RecordOpenFailed(new FactoryReturnedNullException(Name, _policy.FactoryName));
        }

        OpenAbandoned();
    }

    /// <summary>
    /// Puts a connection opened for no rent in particular into the idle set, unless the pool is shutting down or Max was
    /// lowered while it was being opened: then it is closed at once rather than kept above Max until it idles out.
    /// </summary>
    private void KeepOrCloseArrival(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        if (Volatile.Read(ref _disposed) != 0 || _table.Reserved > _table.Max)
        {
            Retire(slot, token, SlotState.Busy, Volatile.Read(ref _disposed) != 0 ? CloseReason.Shutdown : CloseReason.Resize);
            return;
        }

        MakeIdle(slot, token, NowMs());
    }
}
