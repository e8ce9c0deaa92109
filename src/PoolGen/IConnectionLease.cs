using System;

namespace PoolGen;

/// <summary>
/// A rented connection. Use <see cref="Connection"/> only inside the lease's <c>using</c> scope, and dispose the lease to
/// give the connection back; disposing it again, or disposing a copy, does nothing. Every generated <c>Lease</c> struct
/// is one.
/// </summary>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
public interface IConnectionLease<TConnection> : IDisposable, IAsyncDisposable
    where TConnection : class
{
    /// <summary>
    /// The rented connection. Throws <see cref="ObjectDisposedException"/> once the lease has been returned, because the
    /// connection may belong to another lease by then, and for an empty lease.
    /// </summary>
    TConnection Connection { get; }

    /// <summary>Whether this lease still holds its connection: false once it is returned, and for an empty lease.</summary>
    bool IsActive { get; }

    /// <summary>
    /// Marks the connection as unusable, for example after an error that broke it: disposing the lease then closes the
    /// connection instead of giving it back.
    /// </summary>
    void Invalidate();
}
