namespace PoolGen.Generators.Model;

/// <summary>A user method the policy calls, reduced to what decides how to call it.</summary>
/// <param name="Name">The method's name, escaped when it is a C# keyword.</param>
/// <param name="IsStatic">Static methods are called through the class's name, instance ones through the owner.</param>
/// <param name="Shape">Whether it returns its result directly, as a <c>ValueTask</c> or as a <c>Task</c>.</param>
/// <param name="TakesCancellationToken">Whether its last parameter is a <c>CancellationToken</c>.</param>
/// <param name="TakesEndpoint">Whether it is a factory whose first parameter is the <c>PoolEndpoint</c> to connect to.</param>
internal sealed record UserMethodModel(string Name, bool IsStatic, ReturnShape Shape, bool TakesCancellationToken, bool TakesEndpoint = false);
