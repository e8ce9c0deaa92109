namespace PoolGen;

/// <summary>The size rules shared by <see cref="PoolOptions.Validate"/> and the runtime <c>Resize</c>.</summary>
internal static class PoolLimits
{
    /// <summary>Throws the first problem <see cref="OptionRules.CheckSizes"/> finds with Min and Max.</summary>
    /// <param name="pool">The pool's name, for the message.</param>
    /// <param name="min">The minimum.</param>
    /// <param name="max">The maximum.</param>
    /// <param name="minName">The argument that holds <paramref name="min"/>, blamed in the exception.</param>
    /// <param name="maxName">The argument that holds <paramref name="max"/>.</param>
    public static void CheckSizes(string pool, int min, int max, string minName = "min", string maxName = "max")
    {
        foreach (OptionProblem problem in OptionRules.CheckSizes(min, max))
        {
            throw problem.ToException(pool, problem.Setting == "Min" ? minName : maxName);
        }
    }
}
