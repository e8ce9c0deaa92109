using System;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// A connection rented from a <see cref="MultiHostPool{TConnection, TLease}"/>: the endpoint pool's own lease, plus
/// where it was routed. Dispose it (with <c>using</c>) to give the connection back; disposing it again, or a copy,
/// does nothing.
/// </summary>
/// <remarks>
/// Two copies disposed at the same instant on two threads (a bug the POOL104 analyzer reports) return the connection
/// once, but may give the workload's quota and the endpoint's in-flight count back twice.
/// </remarks>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The lease type of the endpoint pools.</typeparam>
[PoolLease]
public readonly struct MultiHostLease<TConnection, TLease> : IConnectionLease<TConnection>
    where TConnection : class
    where TLease : struct, IConnectionLease<TConnection>
{
    private readonly TLease _inner;
    private readonly EndpointState? _endpoint;
    private readonly WorkloadQuota? _quota;
    // What EndpointState.Lend returned: 0 when nothing is ended on return (no quota, no count in flight).
    private readonly long _mark;

    internal MultiHostLease(TLease inner, EndpointState endpoint, WorkloadQuota? quota, long mark)
    {
        _inner = inner;
        _endpoint = endpoint;
        _quota = quota;
        _mark = mark;
    }

    /// <inheritdoc/>
    public TConnection Connection => _endpoint is null ? throw Empty() : _inner.Connection;

    /// <inheritdoc/>
    public bool IsActive => _endpoint is not null && _inner.IsActive;

    /// <summary>The endpoint this lease's connection belongs to.</summary>
    public PoolEndpoint Endpoint => _endpoint?.Endpoint ?? throw Empty();

    /// <summary>The endpoint's role as the pool knows it now (it was the role the rent was routed by, unless a check changed it since).</summary>
    public EndpointRole Role => _endpoint?.Role ?? throw Empty();

    /// <summary>The endpoint pool's own lease.</summary>
    public TLease Inner => _inner;

    /// <summary>
    /// Marks the connection as unusable, as <see cref="IConnectionLease{TConnection}.Invalidate"/> does, and has the
    /// pool recheck the endpoint soon: an error on a connection may mean the server went away or changed role.
    /// </summary>
    public void Invalidate()
    {
        if (IsActive)
        {
            _inner.Invalidate();
            _endpoint!.Monitor!.Suspect(_endpoint);
        }
    }

    /// <summary>Gives the connection back; disposing it again, or a copy of it, does nothing.</summary>
    public void Dispose()
    {
        if (IsActive)
        {
            _inner.Dispose();
            Release();
        }
    }

    /// <summary>Gives the connection back, awaiting the endpoint pool's asynchronous reset or close.</summary>
    public ValueTask DisposeAsync()
    {
        if (!IsActive)
        {
            return default;
        }

        ValueTask returning = _inner.DisposeAsync();
        Release();
        return returning;
    }

    /// <summary>The quota this lease holds, or null; with <see cref="Mark"/>, what a generated pool's engine ends instead.</summary>
    internal WorkloadQuota? Quota => _quota;

    /// <summary>What <see cref="EndpointState.Lend"/> returned for this lease; 0 when nothing is ended on return.</summary>
    internal long Mark => _mark;

    private void Release()
    {
        if (_mark != 0)
        {
            _endpoint!.EndLease(_quota, _mark);
        }
    }

    private static ObjectDisposedException Empty() =>
        new("MultiHostLease", "This lease is empty (default): it was never rented, or TryRent returned false.");
}
