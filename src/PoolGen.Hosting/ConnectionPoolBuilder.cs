using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PoolGen.Hosting;

/// <summary>
/// Configures a pool registered with <c>AddConnectionPool</c>: its options, the configuration section they are bound
/// from, and what the host does with it when it starts. Every method returns the builder, to chain calls.
/// </summary>
/// <remarks>
/// The pool's options are built in this order: the attribute's values; the container's <c>ILoggerFactory</c> and
/// <c>IMeterFactory</c>; then, in the order they were called, <see cref="BindConfiguration(string)"/>,
/// <see cref="Bind"/> and <see cref="Configure(Action{PoolOptions})"/>; finally the class's own <c>ConfigurePool</c>,
/// so that code always has the last word.
/// </remarks>
/// <typeparam name="TPool">The generated pool class.</typeparam>
public sealed class ConnectionPoolBuilder<TPool>
    where TPool : class, IConfigurablePool
{
    private readonly ConnectionPoolRegistration _registration;

    internal ConnectionPoolBuilder(IServiceCollection services, ConnectionPoolRegistration registration)
    {
        Services = services;
        _registration = registration;
    }

    /// <summary>The services the pool is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The key of a keyed registration (<c>AddKeyedConnectionPool</c>); null for a plain one.</summary>
    public object? ServiceKey => _registration.ServiceKey;

    /// <summary>Adjusts the pool's options before its first use.</summary>
    /// <param name="configure">Changes the options in place.</param>
    public ConnectionPoolBuilder<TPool> Configure(Action<PoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registration.Steps.Add((_, options) => configure(options));
        return this;
    }

    /// <summary>Adjusts the pool's options before its first use, with the application's services at hand.</summary>
    /// <param name="configure">Changes the options in place.</param>
    public ConnectionPoolBuilder<TPool> Configure(Action<IServiceProvider, PoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registration.Steps.Add(configure);
        return this;
    }

    /// <summary>
    /// Binds the pool's options from a section of the application's <see cref="IConfiguration"/>, such as
    /// <c>Pools:Orders</c>: each key names a <see cref="PoolOptions"/> property (<c>Max</c>, <c>AcquireTimeoutMs</c>,
    /// ...). A key that names no property, or a value that is not a number where one is expected, stops the host from
    /// starting with a message that names the pool and the key. A missing section changes nothing.
    /// </summary>
    /// <param name="sectionPath">The section's path, with <c>:</c> between levels.</param>
    public ConnectionPoolBuilder<TPool> BindConfiguration(string sectionPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        _registration.Sections.Add(sectionPath);
        _registration.Steps.Add((services, options) =>
            PoolOptionsBinder.Bind(services.GetRequiredService<IConfiguration>().GetSection(sectionPath), options));
        return this;
    }

    /// <summary>Binds the pool's options from a configuration section, as <see cref="BindConfiguration(string)"/> does.</summary>
    /// <param name="section">The section.</param>
    public ConnectionPoolBuilder<TPool> Bind(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        _registration.Sections.Add(section is IConfigurationSection named ? named.Path : "(configuration)");
        _registration.Steps.Add((_, options) => PoolOptionsBinder.Bind(section, options));
        return this;
    }

    /// <summary>
    /// Opens the pool's <c>Min</c> connections when the host starts, so that the first requests find them open. A
    /// failure is logged as a warning and start-up goes on (health reports the pool), unless
    /// <paramref name="required"/>: then it stops the host from starting.
    /// </summary>
    /// <param name="required">Whether a failed warm-up stops start-up.</param>
    public ConnectionPoolBuilder<TPool> WarmUpOnStart(bool required = false)
    {
        _registration.WarmUp = true;
        _registration.WarmUpRequired = required;
        return this;
    }

    /// <summary>
    /// Leaves the pool open when the host stops; the container still disposes it when the host is disposed. By default
    /// the host disposes every pool gracefully once its other services have stopped.
    /// </summary>
    public ConnectionPoolBuilder<TPool> KeepOpenOnStop()
    {
        _registration.DisposeOnStop = false;
        return this;
    }
}
