using System;

namespace PoolGen;

/// <summary>
/// Marks a parameter that takes ownership of the lease passed to it: the callee disposes it, so the caller's
/// obligation ends at the call. Passing a lease to any other parameter is a borrow.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class TakesLeaseAttribute : Attribute
{
}
