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
        : base(FormatMessage(pool, attempts, elapsed, lastFailure), lastFailure)
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

    private static string FormatMessage(string pool, int attempts, TimeSpan elapsed, Exception lastFailure) =>
        $"Pool '{pool}' could not open a connection: {attempts} attempt{(attempts == 1 ? "" : "s")} failed over " +
        $"{elapsed.TotalMilliseconds:0} ms, the last with {lastFailure.GetType().Name}: {lastFailure.Message} " +
        "Check that the database is reachable and the connection string is right; MaxRetryAttempts and RetryDelayMs " +
        "set how long the pool keeps trying.";
}
