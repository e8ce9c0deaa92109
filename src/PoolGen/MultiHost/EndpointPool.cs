using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

/// <summary>
/// The pool of one endpoint inside a generated multi-host pool: an engine over the class's policy for that endpoint,
/// named <c>Pool@endpoint</c>. The generated code creates one per endpoint; applications reach it through
/// <see cref="MultiHostPool{TConnection, TLease}.PoolOf"/> when they need one endpoint's own stats or health.
/// </summary>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The generated lease of one endpoint.</typeparam>
/// <typeparam name="TPolicy">The generated policy, which carries the endpoint to its factory.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EndpointPool<TConnection, TLease, TPolicy> : IConnectionPool<TConnection, TLease>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private readonly PoolEngine<TConnection, TLease, TPolicy> _engine;

    /// <summary>Creates the pool of <paramref name="endpoint"/> from the multi-host pool's settings; nothing is opened yet.</summary>
    /// <param name="options">The whole pool's settings; sizes and timeouts apply to this endpoint's pool.</param>
    /// <param name="endpoint">The endpoint, which names the pool (<c>Pool@endpoint</c>).</param>
    /// <param name="policy">The connection lifecycle, whose factory connects to <paramref name="endpoint"/>.</param>
    public EndpointPool(PoolOptions options, PoolEndpoint endpoint, TPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(endpoint);
        _engine = new PoolEngine<TConnection, TLease, TPolicy>(options.ForEndpoint(endpoint), policy);
    }

    /// <inheritdoc/>
    public string Name => _engine.Name;

    /// <inheritdoc/>
    public PoolStats Stats => _engine.GetStats();

    /// <inheritdoc/>
    public TLease Rent() => _engine.Rent();

    /// <inheritdoc/>
    public TLease Rent(TimeSpan timeout) => _engine.Rent(timeout);

    /// <inheritdoc/>
    public ValueTask<TLease> RentAsync(CancellationToken cancellationToken = default) => _engine.RentAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TLease> RentAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _engine.RentAsync(timeout, cancellationToken);

    /// <inheritdoc/>
    public TLease Rent(PoolPriority priority) => _engine.Rent(priority);

    /// <inheritdoc/>
    public TLease Rent(TimeSpan timeout, PoolPriority priority) => _engine.Rent(timeout, priority);

    /// <inheritdoc/>
    public ValueTask<TLease> RentAsync(PoolPriority priority, CancellationToken cancellationToken = default) =>
        _engine.RentAsync(priority, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TLease> RentAsync(TimeSpan timeout, PoolPriority priority, CancellationToken cancellationToken = default) =>
        _engine.RentAsync(timeout, priority, cancellationToken);

    /// <inheritdoc/>
    public bool TryRent([MaybeNullWhen(false)] out TLease lease) => _engine.TryRent(out lease);

    /// <inheritdoc/>
    public PoolHealth GetHealth() => _engine.GetHealth();

    /// <inheritdoc/>
    public PoolLoad? GetLoad() => _engine.GetLoad();

    /// <inheritdoc/>
    public ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _engine.CheckHealthAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask WarmUpAsync(CancellationToken cancellationToken = default) => _engine.WarmUpAsync(cancellationToken);

    /// <inheritdoc/>
    public void Clear() => _engine.Clear();

    /// <inheritdoc/>
    public void Resize(int min, int max) => _engine.Resize(min, max);

    /// <inheritdoc/>
    public void Dispose() => _engine.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
