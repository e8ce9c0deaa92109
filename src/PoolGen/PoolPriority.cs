namespace PoolGen;

/// <summary>
/// How urgent a rent is when it has to wait. Waiting rents of higher priority are served first; rents of equal
/// priority first in, first out. A waiting rent rises one level every <see cref="PoolOptions.PriorityAgingMs"/>, so a
/// low-priority rent is overtaken only by higher ones that started soon after it and is never starved. A rent that
/// does not wait (an idle connection is there) is served at once whatever its priority.
/// </summary>
public enum PoolPriority
{
    /// <summary>Background work that may wait: reports, batch jobs, cache warming.</summary>
    Low = 0,

    /// <summary>The priority of a rent that names none.</summary>
    Normal = 1,

    /// <summary>User-facing requests that should go ahead of normal work.</summary>
    High = 2,

    /// <summary>Health checks, control-plane and recovery work that must get through an overload.</summary>
    Critical = 3,
}
