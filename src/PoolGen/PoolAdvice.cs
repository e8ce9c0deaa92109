namespace PoolGen;

/// <summary>What a piece of <see cref="PoolAdvice"/> is about.</summary>
public enum PoolAdviceKind
{
    /// <summary>The load needs more connections than Max allows, and rents wait for them.</summary>
    MaxTooSmall,

    /// <summary>Most connections sat idle: a smaller Max would serve the peak seen.</summary>
    MaxTooLarge,

    /// <summary>Leases are held long, which is what makes a pool need many connections.</summary>
    LongHolds,
}

/// <summary>
/// One recommendation from the pool's recent load (<see cref="PoolLoad"/>), with the numbers that support it in the
/// sentence. Advice is not a fault: the pool's health status does not change because of it.
/// </summary>
/// <param name="Kind">What the advice is about.</param>
/// <param name="Message">The recommendation, with its numbers.</param>
/// <param name="SuggestedMax">The Max the advice suggests, when it suggests one.</param>
public sealed record PoolAdvice(PoolAdviceKind Kind, string Message, int? SuggestedMax = null);
