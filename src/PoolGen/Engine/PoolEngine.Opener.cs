using System;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Opens a connection for a synchronous rent that reserved room, retrying with back-off within the rent's deadline;
    /// it is lent at once. At the deadline the rent throws <see cref="PoolTimeoutException"/>, however long the factory
    /// takes: a factory call still running goes on, and its connection joins the pool when it comes.
    /// </summary>
    private TLease OpenLeased(long startMs, int timeoutMs)
    {
        timeoutMs = OpenTimeout(timeoutMs);
        for (int attempt = 1; ; attempt++)
        {
            long started = _settings.Time.GetTimestamp();
            Activity? activity = PoolTracing.Start(PoolTracing.Open, Name);
            CreateOutcome outcome = CreateOnce(
                RemainingMs(startMs, timeoutMs), out TConnection? connection, out Exception? failure, out bool roomPassedOn);
            RecordOpenAttempt(activity, started, outcome == CreateOutcome.Created, failure);
            if (outcome == CreateOutcome.Created)
            {
                return LendNew(connection!);
            }

            if (outcome == CreateOutcome.CutShort || RemainingMs(startMs, timeoutMs) == 0 && failure is OperationCanceledException)
            {
                throw OpenCutShort(startMs, roomPassedOn, CancellationToken.None);
            }

            Thread.Sleep(NextRetryDelay(failure!, attempt, startMs, timeoutMs));
        }
    }

    private async ValueTask<TLease> OpenLeasedAsync(long startMs, int timeoutMs, CancellationToken cancellationToken) =>
        LendNew(await OpenAsync(startMs, timeoutMs, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Calls the factory for room already reserved, retrying with back-off within the deadline; when it gives up
    /// (attempts spent, an error no retry mends, the deadline, or the token) the room is given back, unless a factory
    /// call still running keeps it.
    /// </summary>
    private async ValueTask<TConnection> OpenAsync(long startMs, int timeoutMs, CancellationToken cancellationToken)
    {
        timeoutMs = OpenTimeout(timeoutMs);
        for (int attempt = 1; ; attempt++)
        {
            long started = _settings.Time.GetTimestamp();
            Activity? activity = PoolTracing.Start(PoolTracing.Open, Name);
            (CreateOutcome outcome, TConnection? connection, Exception? failure, bool roomPassedOn) =
                await CreateOnceAsync(RemainingMs(startMs, timeoutMs), cancellationToken).ConfigureAwait(false);
            RecordOpenAttempt(activity, started, outcome == CreateOutcome.Created, failure);
            if (outcome == CreateOutcome.Created)
            {
                return connection!;
            }

            if (outcome == CreateOutcome.CutShort
                || failure is OperationCanceledException && (cancellationToken.IsCancellationRequested || RemainingMs(startMs, timeoutMs) == 0))
            {
                throw OpenCutShort(startMs, roomPassedOn, cancellationToken);
            }

            int delayMs = NextRetryDelay(failure!, attempt, startMs, timeoutMs);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _settings.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw OpenCutShort(startMs, roomPassedOn: false, cancellationToken);
            }
        }
    }

    /// <summary>
    /// How long an open for a rent may take: the rent's timeout, except that a timeout of 0 means "do not wait for
    /// another rent's connection", not "never open one", so the open then runs as long as the factory takes.
    /// </summary>
    private static int OpenTimeout(int timeoutMs) => timeoutMs == 0 ? Timeout.Infinite : timeoutMs;

    /// <summary>
    /// The error of a rent whose open its deadline or token cut short; gives the room back unless a factory call still
    /// running keeps it.
    /// </summary>
    private Exception OpenCutShort(long startMs, bool roomPassedOn, CancellationToken cancellationToken)
    {
        if (!roomPassedOn)
        {
            OpenAbandoned();
        }

        return cancellationToken.IsCancellationRequested
            ? CreateCanceledException(cancellationToken)
            : CreateTimeoutException(startMs, openInProgress: roomPassedOn);
    }

    /// <summary>
    /// Counts a failed open and says how long to wait before the next attempt: <see cref="PoolOptions.RetryDelayMs"/>, doubled
    /// for each retry already made, up to <see cref="PoolDefaults.MaxRetryDelayMs"/>. When no attempt is left, the
    /// error is one no retry mends, or the wait would run past the rent's deadline, it gives the room back and throws
    /// <see cref="PoolConnectionException"/>.
    /// </summary>
    private int NextRetryDelay(Exception failure, int attempt, long startMs, int timeoutMs)
    {
        _counters.CountCreateFailure();
        RecordOpenFailed(failure);
        int delayMs = (int)Math.Min((long)Options.RetryDelayMs << Math.Min(attempt - 1, 20), PoolDefaults.MaxRetryDelayMs);
        long elapsedMs = PreciseNowMs() - startMs;
        bool pastDeadline = timeoutMs != Timeout.Infinite && elapsedMs + delayMs >= timeoutMs;
        bool permanent = IsPermanent(failure);
        if (attempt > Options.MaxRetryAttempts || pastDeadline || permanent)
        {
            var gaveUp = new PoolConnectionException(Name, attempt, TimeSpan.FromMilliseconds(elapsedMs), failure, retried: !permanent);
            _failureLogs.Open.Report(failure, PreciseNowMs(), gaveUp);

            // Before the room is given back, or the waiters would be handed another open doomed like this one.
            FailWaitersAfterOpenFailure(gaveUp, openWasForOldest: false);
            OpenAbandoned();
            throw gaveUp;
        }

        PoolLog.OpenRetrying(_settings.Logger, Name, attempt, delayMs, HealthReport.Describe(failure));
        return delayMs;
    }

    /// <summary>
    /// A failure no retry can mend: the provider says so (<see cref="DbException.IsTransient"/> is false: a wrong
    /// password, a missing database), or the factory returned null. Only a provider that implements IsTransient is
    /// believed: the base class answers false for everything, and a provider that never says "transient" (SqlClient,
    /// Microsoft.Data.Sqlite) must keep its retries.
    /// </summary>
    private static bool IsPermanent(Exception failure) =>
        failure is FactoryReturnedNullException
        || (failure is DbException { IsTransient: false } && ReportsTransience(failure.GetType()));

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2070",
        Justification = "A trimmed-away property reads as not overridden, and the failure is retried as before.")]
    private static bool ReportsTransience(Type exceptionType)
    {
        try
        {
            return exceptionType.GetProperty(nameof(DbException.IsTransient), BindingFlags.Public | BindingFlags.Instance)
                ?.DeclaringType is { } declaring && declaring != typeof(DbException);
        }
        catch (AmbiguousMatchException)
        {
            return false;
        }
    }
}
