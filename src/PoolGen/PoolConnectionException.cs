using System;

namespace PoolGen;

/// <summary>
/// Thrown when a pool could not open a connection: the factory failed on every attempt, retries included. The last
/// failure is the inner exception.
/// </summary>
public sealed class PoolConnectionException : Exception
{
    /// <summary>Creates the exception for <paramref name="attempts"/> failed opens of <paramref name="pool"/>.</summary>
    public PoolConnectionException(string pool, int attempts, TimeSpan elapsed, Exception lastFailure)
        : this(pool, attempts, elapsed, lastFailure, retried: true)
    {
    }

    /// <summary>
    /// Creates the exception for <paramref name="attempts"/> failed opens of <paramref name="pool"/>;
    /// <paramref name="retried"/> is false when the failure was one no retry mends, so the pool stopped early.
    /// </summary>
    internal PoolConnectionException(string pool, int attempts, TimeSpan elapsed, Exception lastFailure, bool retried)
        : base(FormatMessage(pool, attempts, elapsed, lastFailure, retried), lastFailure)
    {
        PoolName = pool;
        Attempts = attempts;
        Elapsed = elapsed;
    }

    /// <summary>The pool that could not open a connection.</summary>
    public string PoolName { get; }

    /// <summary>How many times the factory was called and failed.</summary>
    public int Attempts { get; }

    /// <summary>How long the attempts took, back-off delays included.</summary>
    public TimeSpan Elapsed { get; }

    private static string FormatMessage(string pool, int attempts, TimeSpan elapsed, Exception lastFailure, bool retried)
    {
        if (lastFailure is FactoryReturnedNullException)
        {
            return lastFailure.Message;
        }

        string what =
            $"Pool '{pool}' could not open a connection: {attempts} attempt{(attempts == 1 ? "" : "s")} failed over " +
            $"{elapsed.TotalMilliseconds:0} ms, the last with {lastFailure.GetType().Name}: {lastFailure.Message} ";
        return what + (retried
            ? "Check that the database is reachable and the connection string is right; MaxRetryAttempts and RetryDelayMs " +
              "set how long the pool keeps trying."
            : "The provider reports this error as not transient (DbException.IsTransient is false), so the pool did not " +
              "retry it: check the connection string, the credentials and that the database exists.");
    }
}
