namespace PoolGen.Generators.Model;

/// <summary>One <c>PoolOptions</c> property set from the attribute, e.g. <c>Max</c> = <c>16</c>.</summary>
/// <param name="Name">The property's name, the same on the attribute and on <c>PoolOptions</c>.</param>
/// <param name="Literal">The value as a C# literal.</param>
internal sealed record PoolOptionModel(string Name, string Literal);
