using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PoolGen;

/// <summary>
/// The settings an engine runs with, frozen when it is created: a private copy of the user's options (so that changing
/// theirs later does not reach a running pool), and the few values the hot path reads, worked out once and kept as
/// fields of the engine itself, where reading one costs no extra indirection.
/// </summary>
/// <remarks>
/// A new option needs nothing here: the engine part that uses it reads it from <see cref="Options"/>. Only a value
/// read on every rent or return belongs in a field of its own.
/// </remarks>
internal readonly struct PoolSettings
{
    /// <summary>Freezes <paramref name="options"/>, which have been validated, for a pool whose policy has or lacks a validator.</summary>
    public PoolSettings(PoolOptions options, bool hasValidate)
    {
        Options = options.Freeze();
        Time = Options.TimeProvider;
        SystemClock = ReferenceEquals(Time, TimeProvider.System);
        Logger = Options.Logger ?? Options.LoggerFactory?.CreateLogger(LoggerCategoryPrefix + Options.Name) ?? NullLogger.Instance;
        AcquireTimeoutMs = Options.AcquireTimeoutMs;
        ValidateOnRent = Options.ValidateOnRent && hasValidate;
        ValidateOnReturn = Options.ValidateOnReturn && hasValidate;
        ValidateOnIdle = Options.ValidateOnIdle && hasValidate;
        ValidateAfterIdleMs = Options.ValidateAfterIdleMs;
        LeakThresholdMs = Options.LeakThresholdMs;
    }

    /// <summary>The start of the category of a logger made from <see cref="PoolOptions.LoggerFactory"/>; the pool's name follows.</summary>
    public const string LoggerCategoryPrefix = "PoolGen.";

    /// <summary>The options as they were when the pool was created.</summary>
    public PoolOptions Options { get; }

    /// <summary>The pool's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Whether <see cref="Time"/> is the system clock, so the hot path may use the shared coarse clock.</summary>
    public bool SystemClock { get; }

    /// <summary>The pool's logger; a null logger when none was given.</summary>
    public ILogger Logger { get; }

    /// <summary>The deadline of a rent that names none.</summary>
    public int AcquireTimeoutMs { get; }

    /// <summary>Validate on rent: asked for, and the pool has a validator.</summary>
    public bool ValidateOnRent { get; }

    /// <summary>Validate on return: asked for, and the pool has a validator.</summary>
    public bool ValidateOnReturn { get; }

    /// <summary>Validate idle connections in maintenance: asked for, and the pool has a validator.</summary>
    public bool ValidateOnIdle { get; }

    /// <summary>How recently used a connection may be and still be lent without validation.</summary>
    public int ValidateAfterIdleMs { get; }

    /// <summary>How long a lease may be held before it is reported; 0 when leak tracking is off.</summary>
    public int LeakThresholdMs { get; }
}
