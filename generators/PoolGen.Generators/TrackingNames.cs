namespace PoolGen.Generators;

/// <summary>
/// Names of the pipeline steps, so tests can check that each step caches (an unrelated edit must leave every one of
/// them <c>Cached</c> or <c>Unchanged</c>).
/// </summary>
public static class TrackingNames
{
    /// <summary>Each annotated class parsed into a <c>PoolModel</c>, or null when the class cannot be a pool.</summary>
    public const string Model = "PoolModel";

    /// <summary>The models of the classes that can be pools; the ones the emitter prints.</summary>
    public const string ValidModel = "ValidPoolModel";
}
