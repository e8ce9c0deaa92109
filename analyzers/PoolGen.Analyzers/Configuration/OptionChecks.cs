using Microsoft.CodeAnalysis;

namespace PoolGen.Analyzers.Configuration;

/// <summary>
/// POOL004 and POOL005: the values <c>PoolOptions.Validate</c> would reject at runtime, shown where they are written,
/// with the runtime's own rules and messages (<see cref="OptionRules"/>, compiled in).
/// </summary>
internal static class OptionChecks
{
    public static void Check(PoolUnderAnalysis pool)
    {
        RuntimeDefaults defaults = RuntimeDefaults.Of(pool.Attribute.AttributeClass);
        CheckSizes(pool, defaults);

        // Every numeric argument on its own, including options added after this analyzer: the rules go by name.
        foreach (var argument in pool.Attribute.NamedArguments)
        {
            double? value = argument.Value.Kind == TypedConstantKind.Error
                ? null
                : argument.Value.Value switch
                {
                    int number => number,
                    double number => number,
                    _ => null,
                };
            if (value is { } written && OptionRules.Check(argument.Key, written, defaults.Of(argument.Key)) is { } problem)
            {
                Report(pool, problem);
            }
        }
    }

    // Min is checked against Max, written or not; a default the runtime does not have leaves its check out.
    private static void CheckSizes(PoolUnderAnalysis pool, RuntimeDefaults defaults)
    {
        double? min = pool.TryGetArgument("Min", out int writtenMin) ? writtenMin : defaults.Of("Min");
        double? max = pool.TryGetArgument("Max", out int writtenMax) ? writtenMax : defaults.Of("Max");
        if (min is null || max is null)
        {
            return;
        }

        foreach (OptionProblem problem in OptionRules.CheckSizes((int)min, (int)max))
        {
            Report(pool, problem);
        }
    }

    private static void Report(PoolUnderAnalysis pool, OptionProblem problem) =>
        pool.Report(
            problem.IsSize ? DiagnosticDescriptors.SizeOutOfRange : DiagnosticDescriptors.TimeOutOfRange,
            pool.ArgumentLocation(problem.Setting),
            problem.Setting,
            pool.Type.Name,
            problem.Shown,
            problem.Reason);
}
