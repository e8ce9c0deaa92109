using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;

namespace PoolGen.Hosting;

/// <summary>
/// One pool registered with <see cref="ConnectionPoolServiceCollectionExtensions.AddConnectionPool{TPool}(IServiceCollection, Func{IServiceProvider, TPool})"/>:
/// its service type and key, and what the hosted service does with it at start and stop.
/// </summary>
internal sealed class ConnectionPoolRegistration
{
    public ConnectionPoolRegistration(Type poolType, object? serviceKey)
    {
        PoolType = poolType;
        ServiceKey = serviceKey;
    }

    /// <summary>The pool class, as registered.</summary>
    public Type PoolType { get; }

    /// <summary>The key of a keyed registration; null for a plain one.</summary>
    public object? ServiceKey { get; }

    /// <summary>The configuration steps, in the order they run: factories first, then bound configuration and the application's actions.</summary>
    public List<Action<IServiceProvider, PoolOptions>> Steps { get; } = new();

    /// <summary>The configuration sections bound, for messages.</summary>
    public List<string> Sections { get; } = new();

    /// <summary>Whether the host warms the pool up to Min when it starts.</summary>
    public bool WarmUp { get; set; }

    /// <summary>Whether a failed warm-up stops the host from starting (otherwise it is logged and health reports it).</summary>
    public bool WarmUpRequired { get; set; }

    /// <summary>Whether the host disposes the pool gracefully when it stops.</summary>
    public bool DisposeOnStop { get; set; } = true;

    /// <summary>How the registration is described in messages: the class, its key, its configuration sections.</summary>
    public string Describe()
    {
        string key = ServiceKey is null ? string.Empty : $" with key '{ServiceKey}'";
        string sections = Sections.Count == 0 ? string.Empty : $", configured from section '{string.Join("', '", Sections)}'";
        return $"{PoolType.Name}{key}{sections}";
    }

    /// <summary>The pool this registration stands for, from the container.</summary>
    public IConfigurablePool Resolve(IServiceProvider services) =>
        (IConfigurablePool)(ServiceKey is null
            ? services.GetRequiredService(PoolType)
            : services.GetRequiredKeyedService(PoolType, ServiceKey));
}
