using System;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

using PoolGen;
using PoolGen.Hosting;

// In the container's own namespace, as extension methods on IServiceCollection conventionally are: they show up
// wherever services are registered, with no using to discover.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="KeyedPools{TKey, TPool, TConnection, TLease}"/> with dependency injection.</summary>
public static class KeyedPoolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton set of pools, one per key, created on first use by <paramref name="create"/>. Each pool gets
    /// the container's logger and meter factories, then <paramref name="configurePool"/>; the set logs to the category
    /// <c>PoolGen.KeyedPools</c>. The container disposes the set, and with it every pool, when it is disposed.
    /// </summary>
    /// <typeparam name="TKey">The key: a connection string, a tenant, a shard.</typeparam>
    /// <typeparam name="TPool">The generated pool class.</typeparam>
    /// <typeparam name="TConnection">The pool's connection type.</typeparam>
    /// <typeparam name="TLease">The pool's lease type (<c>TPool.Lease</c>).</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="create">Creates a new pool for a key.</param>
    /// <param name="configure">Adjusts the set's settings (MaxPools, IdleTimeoutMs, ...).</param>
    /// <param name="configurePool">Adjusts each pool's options for its key.</param>
    public static IServiceCollection AddKeyedPools<TKey, TPool, TConnection, TLease>(
        this IServiceCollection services,
        Func<IServiceProvider, TKey, TPool> create,
        Action<KeyedPoolsOptions>? configure = null,
        Action<TKey, PoolOptions>? configurePool = null)
        where TKey : notnull
        where TPool : class, IConfigurablePool, IConnectionPool<TConnection, TLease>
        where TConnection : class
        where TLease : struct, IConnectionLease<TConnection>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        services.AddPoolRegistry();
        services.AddSingleton(provider =>
        {
            var options = new KeyedPoolsOptions { Logger = provider.GetService<ILoggerFactory>()?.CreateLogger("PoolGen.KeyedPools") };
            configure?.Invoke(options);
            ILoggerFactory? loggerFactory = provider.GetService<ILoggerFactory>();
            IMeterFactory? meterFactory = provider.GetService<IMeterFactory>();
            return new KeyedPools<TKey, TPool, TConnection, TLease>(
                key => create(provider, key),
                options,
                (key, poolOptions) =>
                {
                    poolOptions.LoggerFactory ??= loggerFactory;
                    poolOptions.MeterFactory ??= meterFactory;
                    configurePool?.Invoke(key, poolOptions);
                });
        });
        return services;
    }
}
