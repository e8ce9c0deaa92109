using System;

namespace PoolGen;

/// <summary>
/// Thrown at once, instead of after a whole timeout, when a rent would have to wait and the pool is overloaded: the
/// queue is at <see cref="PoolOptions.MaxPendingRents"/>, or, with <see cref="PoolOptions.ShedLoad"/>, the pool's
/// recent hand-off rate shows the rent could not be served before its deadline. It is a
/// <see cref="PoolTimeoutException"/>, so code that handles timeouts handles it too; retrying at once only adds load.
/// </summary>
public sealed class PoolOverloadedException : PoolTimeoutException
{
    /// <summary>Creates the exception for a rent of <paramref name="pool"/> refused because the queue is full.</summary>
    public PoolOverloadedException(string pool, int max, int leased, int pending, int maxPendingRents)
        : base(
            $"Pool '{pool}' refused a rent at once: {pending} rents already wait, the most MaxPendingRents ({maxPendingRents}) " +
            $"allows, with {leased} of Max {max} connections leased. The pool is overloaded: shed work upstream, raise Max " +
            "if the database can take more connections, or hold leases for less time.",
            pool, TimeSpan.Zero, max, leased, idle: 0, pending)
    {
        MaxPendingRents = maxPendingRents;
    }

    /// <summary>
    /// Creates the exception for a rent of <paramref name="pool"/> refused by load shedding: with
    /// <paramref name="ahead"/> rents to be served before it and one connection handed over every
    /// <paramref name="handOffInterval"/>, it would wait about <paramref name="expectedWait"/>, past
    /// <paramref name="timeLeft"/>.
    /// </summary>
    public PoolOverloadedException(
        string pool, int max, int leased, int pending, int ahead, TimeSpan handOffInterval, TimeSpan expectedWait, TimeSpan timeLeft)
        : base(
            $"Pool '{pool}' refused a rent at once (ShedLoad): {ahead} waiting rents would be served before it and the pool " +
            $"has handed over a connection every {handOffInterval.TotalMilliseconds:0.#} ms lately, so it would wait about " +
            $"{expectedWait.TotalMilliseconds:0} ms, past its deadline {timeLeft.TotalMilliseconds:0} ms away. {leased} of Max " +
            $"{max} leased, {pending} waiting. The pool is overloaded: shed work upstream, raise Max if the database can take " +
            "more connections, or hold leases for less time.",
            pool, TimeSpan.Zero, max, leased, idle: 0, pending)
    {
        Ahead = ahead;
        HandOffInterval = handOffInterval;
        ExpectedWait = expectedWait;
        TimeLeft = timeLeft;
    }

    /// <summary>The queue bound that refused the rent; 0 when load shedding refused it.</summary>
    public int MaxPendingRents { get; }

    /// <summary>The waiting rents that would have been served before this one; 0 when the queue bound refused it.</summary>
    public int Ahead { get; }

    /// <summary>The recent time between two hand-overs of a connection to a waiting rent.</summary>
    public TimeSpan HandOffInterval { get; }

    /// <summary>How long the rent would have waited, by that rate.</summary>
    public TimeSpan ExpectedWait { get; }

    /// <summary>How long the rent had left before its deadline.</summary>
    public TimeSpan TimeLeft { get; }
}
