using System;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using PoolGen;
using PoolGen.Hosting;

// In the container's own namespace, as extension methods on IServiceCollection conventionally are: they show up
// wherever services are registered, with no using to discover.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PoolGen pools with dependency injection.</summary>
public static class ConnectionPoolServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TPool"/> as a singleton, created by <paramref name="factory"/> (or by the container
    /// from its constructor), with the container's logger and meter factories in its options. When the host starts, the
    /// pool's options are checked (a bad value stops start-up with the pool's message) and, with
    /// <see cref="ConnectionPoolBuilder{TPool}.WarmUpOnStart"/>, its <c>Min</c> connections are opened; when the host
    /// stops, the pool is disposed gracefully within the host's shutdown timeout. The pool is also listed in
    /// <see cref="PoolRegistry"/>, which the container serves.
    /// </summary>
    /// <typeparam name="TPool">The generated pool class.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="factory">Creates the instance; null to let the container call its constructor.</param>
    /// <returns>A builder to configure the pool further.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="TPool"/> is already registered through this method.</exception>
    public static ConnectionPoolBuilder<TPool> AddConnectionPool<TPool>(this IServiceCollection services, Func<IServiceProvider, TPool>? factory = null)
        where TPool : class, IConfigurablePool
    {
        ArgumentNullException.ThrowIfNull(services);
        ConnectionPoolRegistration registration = Register(services, typeof(TPool), serviceKey: null);
        services.AddSingleton(provider =>
        {
            TPool pool = factory is null ? ActivatorUtilities.CreateInstance<TPool>(provider) : Created(factory(provider), registration);
            return Configured(pool, provider, registration);
        });
        return new ConnectionPoolBuilder<TPool>(services, registration);
    }

    /// <summary>
    /// Registers one of several pools of <typeparamref name="TPool"/> as a keyed singleton (resolve it with
    /// <c>[FromKeyedServices(key)]</c> or <c>GetRequiredKeyedService</c>), as
    /// <see cref="AddConnectionPool{TPool}(IServiceCollection, Func{IServiceProvider, TPool})"/> does for one. Its
    /// name becomes the class's name followed by the key in brackets (<c>OrdersDb[eu]</c>), so that stats, logs and
    /// metrics tell the pools apart; <see cref="ConnectionPoolBuilder{TPool}.Configure(Action{PoolOptions})"/> can set another.
    /// </summary>
    /// <typeparam name="TPool">The generated pool class.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="factory">Creates the instance for the key; null to let the container call its constructor.</param>
    /// <returns>A builder to configure the pool further.</returns>
    public static ConnectionPoolBuilder<TPool> AddKeyedConnectionPool<TPool>(
        this IServiceCollection services, object serviceKey, Func<IServiceProvider, object, TPool>? factory = null)
        where TPool : class, IConfigurablePool
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ConnectionPoolRegistration registration = Register(services, typeof(TPool), serviceKey);
        registration.Steps.Add((_, options) => options.Name = $"{options.Name}[{PoolKeys.Describe(serviceKey)}]");
        services.AddKeyedSingleton(serviceKey, (provider, key) =>
        {
            TPool pool = factory is null ? ActivatorUtilities.CreateInstance<TPool>(provider) : Created(factory(provider, key!), registration);
            return Configured(pool, provider, registration);
        });
        return new ConnectionPoolBuilder<TPool>(services, registration);
    }

    /// <summary>
    /// Registers <see cref="PoolRegistry.Default"/>, the registry every generated pool joins, so that endpoints and
    /// services can take it as a dependency. <c>AddConnectionPool</c> calls it.
    /// </summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddPoolRegistry(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(PoolRegistry.Default);
        return services;
    }

    private static ConnectionPoolRegistration Register(IServiceCollection services, Type poolType, object? serviceKey)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ConnectionPoolRegistration)
                && descriptor.ImplementationInstance is ConnectionPoolRegistration existing
                && existing.PoolType == poolType
                && Equals(existing.ServiceKey, serviceKey))
            {
                throw new InvalidOperationException(
                    $"{existing.Describe()} is already registered as a connection pool. Register each pool once; for several " +
                    $"pools of one class use AddKeyedConnectionPool<{poolType.Name}>(key, ...), one key per pool.");
            }
        }

        var registration = new ConnectionPoolRegistration(poolType, serviceKey);

        // The container's factories come first, so that configuration and the application's own steps can replace them.
        registration.Steps.Add(static (provider, options) =>
        {
            options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            options.MeterFactory ??= provider.GetService<IMeterFactory>();
        });
        services.AddSingleton(registration);
        services.AddPoolRegistry();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConnectionPoolHostedService>());
        return registration;
    }

    private static TPool Created<TPool>(TPool? pool, ConnectionPoolRegistration registration)
        where TPool : class =>
        pool ?? throw new InvalidOperationException($"The factory registered for {registration.Describe()} returned null; it must return a new pool.");

    private static TPool Configured<TPool>(TPool pool, IServiceProvider provider, ConnectionPoolRegistration registration)
        where TPool : class, IConfigurablePool
    {
        try
        {
            pool.Configure(options =>
            {
                foreach (Action<IServiceProvider, PoolOptions> step in registration.Steps)
                {
                    step(provider, options);
                }
            });
        }
        catch (InvalidOperationException error) when (pool.IsCreated)
        {
            throw new InvalidOperationException(
                $"The factory registered for {registration.Describe()} returned a pool that is already in use, so the container " +
                "cannot configure it. Return a new instance that nothing has rented from yet.",
                error);
        }

        return pool;
    }
}
