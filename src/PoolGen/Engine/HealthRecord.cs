using System;
using System.Threading;

namespace PoolGen;

/// <summary>
/// What a pool has lived through lately, for its health report: its latest check, its failures in a row, and the
/// outcomes of its recent opens and validations with their times, so that rates look at a time window and a pool
/// that works again reads as healthy again without any rent. Not on the hot path: opens and validations only.
/// </summary>
internal sealed class HealthRecord
{
    /// <summary>How many recent outcomes are kept; older ones fall out even inside the window.</summary>
    private const int Capacity = 64;

    private readonly object _lock = new();
    private readonly long[] _atMs = new long[Capacity];
    private readonly Outcome[] _outcomes = new Outcome[Capacity];
    private int _next;
    private int _count;

    private DateTimeOffset? _lastCheck;
    private TimeSpan _checkDuration;
    private Exception? _lastCheckFailure;
    private int _consecutiveFailures;
    private DateTimeOffset? _lastFailureAt;
    private Exception? _lastFailure;
    private Exception? _lastValidationError;
    private long _lastTimeoutMs = long.MinValue;

    private enum Outcome : byte
    {
        OpenSucceeded,
        OpenFailed,
        ValidationPassed,
        ValidationFailed,
    }

    /// <summary>A connection was opened: the database is reachable, so the run of failures ends.</summary>
    public void OpenSucceeded(long nowMs)
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            Add(Outcome.OpenSucceeded, nowMs);
        }
    }

    public void OpenFailed(Exception failure, long nowMs, DateTimeOffset now)
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            _lastFailure = failure;
            _lastFailureAt = now;
            Add(Outcome.OpenFailed, nowMs);
        }
    }

    /// <summary>
    /// A validation answered. One that passed proves the database reachable and ends a run of failures; one that
    /// failed says something about that connection only, so it does not count as a failure in a row.
    /// </summary>
    public void Validated(bool valid, long nowMs)
    {
        lock (_lock)
        {
            if (valid)
            {
                _consecutiveFailures = 0;
                _lastValidationError = null;
            }

            Add(valid ? Outcome.ValidationPassed : Outcome.ValidationFailed, nowMs);
        }
    }

    /// <summary>The validator threw; the latest such error is quoted when validations keep failing.</summary>
    public void ValidationThrew(Exception error)
    {
        lock (_lock)
        {
            _lastValidationError = error;
        }
    }

    public void TimedOut(long nowMs) => Volatile.Write(ref _lastTimeoutMs, nowMs);

    /// <summary>Records the end of a maintenance pass or health check.</summary>
    public void Checked(DateTimeOffset now, TimeSpan duration, Exception? failure)
    {
        lock (_lock)
        {
            _lastCheck = now;
            _checkDuration = duration;
            _lastCheckFailure = failure;

            // A failed open has already been counted by the open itself.
            if (failure is not null and not PoolConnectionException)
            {
                _consecutiveFailures++;
                _lastFailure = failure;
                _lastFailureAt = now;
            }
        }
    }

    /// <summary>The error of the latest open, when the latest attempt failed; timeouts quote it.</summary>
    public Exception? LatestOpenFailure()
    {
        lock (_lock)
        {
            return _consecutiveFailures > 0 ? _lastFailure : null;
        }
    }

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>A consistent copy of the record, with the outcomes of the last <paramref name="windowMs"/> counted.</summary>
    public HealthSnapshot Read(long nowMs, long windowMs)
    {
        lock (_lock)
        {
            int opens = 0, openFailures = 0, validations = 0, validationFailures = 0;
            for (int i = 0; i < _count; i++)
            {
                int index = (_next - 1 - i + Capacity) % Capacity;
                if (nowMs - _atMs[index] >= windowMs)
                {
                    break;
                }

                switch (_outcomes[index])
                {
                    case Outcome.OpenSucceeded: opens++; break;
                    case Outcome.OpenFailed: opens++; openFailures++; break;
                    case Outcome.ValidationPassed: validations++; break;
                    case Outcome.ValidationFailed: validations++; validationFailures++; break;
                }
            }

            long lastTimeoutMs = Volatile.Read(ref _lastTimeoutMs);
            return new HealthSnapshot(
                _lastCheck,
                _checkDuration,
                _lastCheckFailure,
                _consecutiveFailures,
                _lastFailureAt,
                _lastFailure,
                opens,
                openFailures,
                validations,
                validationFailures,
                _lastValidationError,
                TimedOutInWindow: lastTimeoutMs != long.MinValue && nowMs - lastTimeoutMs < windowMs);
        }
    }

    private void Add(Outcome outcome, long nowMs)
    {
        _atMs[_next] = nowMs;
        _outcomes[_next] = outcome;
        _next = (_next + 1) % Capacity;
        _count = Math.Min(_count + 1, Capacity);
    }
}

/// <summary>A copy of a <see cref="HealthRecord"/>, with the rates of its time window.</summary>
internal readonly record struct HealthSnapshot(
    DateTimeOffset? LastCheck,
    TimeSpan CheckDuration,
    Exception? LastCheckFailure,
    int ConsecutiveFailures,
    DateTimeOffset? LastFailureAt,
    Exception? LastFailure,
    int Opens,
    int OpenFailures,
    int Validations,
    int ValidationFailures,
    Exception? LastValidationError,
    bool TimedOutInWindow);
