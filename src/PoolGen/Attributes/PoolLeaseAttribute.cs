using System;

namespace PoolGen;

/// <summary>
/// Marks a type whose values hold a pooled connection and must be disposed exactly once. The generated <c>Lease</c>
/// structs carry it; PoolGen's analyzers track every value of such a type, so hand-written lease types are covered too.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class PoolLeaseAttribute : Attribute
{
}
