using System;

namespace PoolGen;

/// <summary>
/// Marks the method of a <see cref="ConnectionPoolAttribute"/> class that opens a new connection. Its return type
/// (<c>C</c>, <c>ValueTask&lt;C&gt;</c> or <c>Task&lt;C&gt;</c>) decides the pool's connection type.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PoolFactoryAttribute : Attribute
{
}
