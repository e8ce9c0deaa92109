using System;

namespace PoolGen;

/// <summary>
/// Thrown when a rent waited its whole acquire timeout without getting a connection. The message and the properties
/// give the pool's state at that moment and the likely causes.
/// </summary>
public class PoolTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a rent of <paramref name="pool"/> that waited <paramref name="waited"/>.</summary>
    public PoolTimeoutException(string pool, TimeSpan waited, int max, int leased, int idle, int pending)
        : this(pool, waited, max, leased, idle, pending, lastCreationError: null)
    {
    }

    /// <summary>
    /// Creates the exception for a rent of <paramref name="pool"/> that waited <paramref name="waited"/>, while the
    /// pool's latest attempt to open a connection had failed with <paramref name="lastCreationError"/>.
    /// </summary>
    public PoolTimeoutException(string pool, TimeSpan waited, int max, int leased, int idle, int pending, Exception? lastCreationError)
        : this(pool, waited, max, leased, idle, pending, lastCreationError, openInProgress: false)
    {
    }

    /// <summary>
    /// Creates the exception for a rent of <paramref name="pool"/> that waited <paramref name="waited"/>;
    /// <paramref name="openInProgress"/> says that the deadline came while a connection was being opened for the rent.
    /// </summary>
    public PoolTimeoutException(
        string pool, TimeSpan waited, int max, int leased, int idle, int pending, Exception? lastCreationError, bool openInProgress)
        : base(FormatMessage(pool, waited, max, leased, idle, pending, lastCreationError, openInProgress), lastCreationError)
    {
        OpenInProgress = openInProgress;
        PoolName = pool;
        Waited = waited;
        Max = max;
        Leased = leased;
        Idle = idle;
        Pending = pending;
    }

    /// <summary>Creates the exception with a message of its own, for a subtype that says why the rent ended early.</summary>
    protected PoolTimeoutException(string message, string pool, TimeSpan waited, int max, int leased, int idle, int pending)
        : base(message)
    {
        PoolName = pool;
        Waited = waited;
        Max = max;
        Leased = leased;
        Idle = idle;
        Pending = pending;
    }

    /// <summary>The pool that timed out.</summary>
    public string PoolName { get; }

    /// <summary>How long the rent waited.</summary>
    public TimeSpan Waited { get; }

    /// <summary>The pool's Max at the time.</summary>
    public int Max { get; }

    /// <summary>Connections held by leases at the time.</summary>
    public int Leased { get; }

    /// <summary>Idle connections at the time.</summary>
    public int Idle { get; }

    /// <summary>Other rents still waiting at the time.</summary>
    public int Pending { get; }

    /// <summary>
    /// True when the deadline came while the connection being opened for this rent was not ready: the factory (a
    /// connect to a server that does not answer, say) took longer than the rent's timeout.
    /// </summary>
    public bool OpenInProgress { get; }

    /// <summary>Why the pool's latest open failed, when it had failed at the time; also the inner exception.</summary>
    public Exception? LastCreationError => InnerException;

    private static string FormatMessage(
        string pool, TimeSpan waited, int max, int leased, int idle, int pending, Exception? lastCreationError, bool openInProgress)
    {
        if (openInProgress)
        {
            return
                $"Pool '{pool}' could not provide a connection within {waited.TotalMilliseconds:0} ms: the connection being " +
                "opened for this rent was not ready by then (its factory had not returned; it goes on, and its connection " +
                $"joins the pool if it comes). {leased} of Max {max} leased, {idle} idle, {pending} other rents waiting. A " +
                "server that accepts connections but does not answer, or a slow network, is the likely cause; give the " +
                "provider a connect timeout shorter than the rent's.";
        }

        string state =
            $"Pool '{pool}' could not provide a connection within {waited.TotalMilliseconds:0} ms: {leased} of Max {max} leased, " +
            $"{idle} idle, {pending} other rents waiting. ";
        string database = lastCreationError is null ? "" :
            $"Its latest attempt to open a connection failed with {lastCreationError.GetType().Name}: {lastCreationError.Message} " +
            "If the database is unreachable, that is the cause; otherwise, ";
        string causes =
            (database.Length == 0 ? "Either " : "either ") +
            "Max is too small for the load (raise it, or hold leases for less time), or leases are leaked: a lease that " +
            "is never disposed keeps its connection forever (look for POOL101 warnings, dispose leases with 'using', and " +
            "set LeakThresholdMs to log where long-held leases were rented).";
        return state + database + causes;
    }
}
