using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The engine's side of a lease: which slot, and which lease of that slot. The generated <c>Lease</c> struct wraps
/// one; user code works with the generated type.
/// </summary>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The generated lease type handed to users.</typeparam>
/// <typeparam name="TPolicy">The pool's connection policy.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct PoolHandle<TConnection, TLease, TPolicy>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private readonly PoolSlot<TConnection, TLease, TPolicy>? _slot;
    private readonly int _token;

    internal PoolHandle(PoolSlot<TConnection, TLease, TPolicy> slot, int token)
    {
        _slot = slot;
        _token = token;
    }

    /// <summary>
    /// The leased connection. Throws <see cref="ObjectDisposedException"/> once the lease has been returned, so a
    /// stale copy can never reach a connection that now belongs to someone else.
    /// </summary>
    public TConnection Connection
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            PoolSlot<TConnection, TLease, TPolicy>? slot = _slot;
            if (slot is null || Volatile.Read(ref slot.Word) != SlotState.Pack(_token, SlotState.Leased))
            {
                ThrowReturned();
            }

            return slot!.Connection!;
        }
    }

    /// <summary>The slot this handle points at; null for an empty lease.</summary>
    internal PoolSlot<TConnection, TLease, TPolicy>? Slot => _slot;

    /// <summary>Which lease of the slot this handle is.</summary>
    internal int Token => _token;

    /// <summary>Whether this handle still holds its connection.</summary>
    public bool IsActive =>
        _slot is { } slot && Volatile.Read(ref slot.Word) == SlotState.Pack(_token, SlotState.Leased);

    /// <summary>Gives the connection back to the pool. A second call, or a call on a copy, does nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Return() => _slot?.Owner.Return(_slot, _token);

    /// <summary>Gives the connection back, running an asynchronous reset or close when the pool has one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask ReturnAsync() => _slot is null ? default : _slot.Owner.ReturnAsync(_slot, _token);

    /// <summary>
    /// Marks the connection as broken: when the lease is disposed, the connection is closed instead of returned.
    /// Does nothing on a lease that has already been returned.
    /// </summary>
    public void Invalidate()
    {
        if (IsActive)
        {
            // The lease holder owns the slot, so it may write this; the return that follows sees the connection as
            // past its lifetime and closes it.
            _slot!.ExpiresAtMs = long.MinValue;
            _slot.Owner.OnInvalidated();
        }
    }

    /// <summary>
    /// The endpoint of a lease of a generated multi-host pool; still readable after the lease was returned.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The lease is empty.</exception>
    /// <exception cref="InvalidOperationException">The pool is a single-server pool.</exception>
    public PoolEndpoint Endpoint => RoutedEndpoint.Endpoint;

    /// <summary>The role of the lease's endpoint as its multi-host pool knows it now.</summary>
    /// <exception cref="ObjectDisposedException">The lease is empty.</exception>
    /// <exception cref="InvalidOperationException">The pool is a single-server pool.</exception>
    public EndpointRole Role => RoutedEndpoint.Role;

    private EndpointState RoutedEndpoint =>
        _slot?.Owner.RoutedEndpoint ?? throw new ObjectDisposedException("Lease", EmptyMessage);

    private const string EmptyMessage = "This lease is empty (default): it was never rented, or TryRent returned false.";

    // Apart and never inlined, so that the check above is all a hot path carries.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowReturned() =>
        throw new ObjectDisposedException(
            _slot is null ? "Lease" : _slot.Owner.Name,
            _slot is null
                ? EmptyMessage
                : $"This lease of pool '{_slot.Owner.Name}' has already been returned; its connection may now belong to another lease. Use the connection only inside the lease's 'using' scope.");
}
