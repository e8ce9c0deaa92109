using System;
using System.ComponentModel;
using System.Threading;

namespace PoolGen;

/// <summary>
/// What a generated pool keeps before and while its engine is created: the lock that creates it once, the actions
/// added through <see cref="IConfigurablePool.Configure"/>, and the options it was created with. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PoolSetup
{
    private Action<PoolOptions>? _configurations;
    private PoolOptions? _createdWith;

    private PoolSetup()
    {
    }

    /// <summary>The setup in <paramref name="setup"/>, created there first if it is null; the generated code locks it to create the engine.</summary>
    /// <param name="setup">The pool's field.</param>
    public static PoolSetup Get(ref PoolSetup? setup) =>
        Volatile.Read(ref setup) ?? Interlocked.CompareExchange(ref setup, new PoolSetup(), null) ?? setup;

    /// <summary>Adds a configuration action, unless the engine already exists.</summary>
    /// <typeparam name="TEngine">The pool's engine type.</typeparam>
    /// <param name="pool">The pool, for its name in the exception.</param>
    /// <param name="engine">The pool's engine field.</param>
    /// <param name="setup">The pool's setup field.</param>
    /// <param name="configure">The action.</param>
    /// <exception cref="InvalidOperationException">The engine exists: the options are fixed.</exception>
    public static void Configure<TEngine>(IConnectionPool pool, ref TEngine? engine, ref PoolSetup? setup, Action<PoolOptions> configure)
        where TEngine : class
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(configure);
        PoolSetup current = Get(ref setup);
        lock (current)
        {
            if (Volatile.Read(ref engine) is not null)
            {
                throw new InvalidOperationException(
                    $"Pool '{pool.Name}' is already in use, so its options can no longer change. Configure it before its " +
                    "first rent, WarmUpAsync, Stats or health read: with dependency injection, AddConnectionPool configures " +
                    "it when the container creates it; without, call Configure right after constructing it.");
            }

            current._configurations += configure;
        }
    }

    /// <summary>Runs the configuration actions on <paramref name="options"/>, in the order they were added; called under this setup's lock.</summary>
    /// <param name="options">The options from the attribute.</param>
    public void Apply(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configurations?.Invoke(options);
    }

    /// <summary>Records the options the engine was created with and adds the pool to <see cref="PoolRegistry.Default"/>.</summary>
    /// <param name="pool">The pool whose engine was just created and published.</param>
    /// <param name="options">The options it was created with.</param>
    public void Created(IConnectionPool pool, PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        Volatile.Write(ref _createdWith, options.Freeze());
        PoolRegistry.Default.Add(pool);
    }

    /// <summary>A copy of the options the engine was created with.</summary>
    /// <exception cref="InvalidOperationException">The engine has not been created.</exception>
    public PoolOptions GetOptions() =>
        Volatile.Read(ref _createdWith)?.Freeze()
        ?? throw new InvalidOperationException("The pool has not been created yet, so it has no options to show.");
}
