namespace PoolGen.Generators.Model;

/// <summary>How a user method hands back its result; the policy bridges each shape to both sync and async members.</summary>
internal enum ReturnShape
{
    /// <summary>Returns <c>T</c> (or <c>void</c>).</summary>
    Sync,

    /// <summary>Returns <c>ValueTask&lt;T&gt;</c> (or <c>ValueTask</c>).</summary>
    ValueTask,

    /// <summary>Returns <c>Task&lt;T&gt;</c> (or <c>Task</c>).</summary>
    Task,
}
