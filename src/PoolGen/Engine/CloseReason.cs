namespace PoolGen;

/// <summary>
/// Why the pool closed a connection: counted per reason, tagged on the <c>poolgen.connection.closes</c> metric and
/// written in the close's log line.
/// </summary>
internal enum CloseReason
{
    /// <summary>Idle longer than IdleTimeoutMs, above Min.</summary>
    Idle,

    /// <summary>Older than MaxLifetimeMs (less its jitter).</summary>
    Lifetime,

    /// <summary>Its validation failed, threw or timed out.</summary>
    Validation,

    /// <summary>Found closed under the pool, or invalidated by its lease.</summary>
    Broken,

    /// <summary>Opened before the last <c>Clear</c>.</summary>
    Clear,

    /// <summary>Its reset threw.</summary>
    ResetFailure,

    /// <summary>Above Max after a resize lowered it.</summary>
    Resize,

    /// <summary>The pool is shutting down.</summary>
    Shutdown,
}

/// <summary>The names of <see cref="CloseReason"/> values as metrics and logs write them.</summary>
internal static class CloseReasons
{
    /// <summary>How many reasons there are: the length of a per-reason array.</summary>
    public const int Count = (int)CloseReason.Shutdown + 1;

    private static readonly string[] s_tags = ["idle", "lifetime", "validation", "broken", "clear", "reset_failure", "resize", "shutdown"];

    private static readonly string[] s_sentences =
    [
        "it was idle longer than IdleTimeoutMs",
        "it reached its MaxLifetimeMs",
        "it failed validation",
        "it was broken (closed under the pool, or invalidated by its lease)",
        "it was opened before Clear()",
        "its Reset method threw",
        "the pool was above Max after a resize",
        "the pool is shutting down",
    ];

    /// <summary>The value of the <c>poolgen.close.reason</c> attribute: lower case, words joined by underscores.</summary>
    public static string Tag(CloseReason reason) => s_tags[(int)reason];

    /// <summary>The reason as the end of the log line "closed a connection: ...".</summary>
    public static string Sentence(CloseReason reason) => s_sentences[(int)reason];
}
