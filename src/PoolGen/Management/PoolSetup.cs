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
    private Exception? _configurationError;

    /// <summary>Set when the pool is disposed before its first use: its engine is then created without configuration.</summary>
    private bool _disposedBeforeUse;

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

    /// <summary>
    /// Called first by the generated Dispose members: the pool leaves <see cref="PoolRegistry.Default"/>, and a pool
    /// never used is created without its configuration (no <see cref="IConfigurablePool.Configure"/> actions, no
    /// <c>ConfigurePool</c>) just to be disposed, since that configuration may need services that are gone by then.
    /// </summary>
    /// <typeparam name="TEngine">The pool's engine type.</typeparam>
    /// <param name="pool">The pool.</param>
    /// <param name="engine">The pool's engine field.</param>
    /// <param name="setup">The pool's setup field.</param>
    public static void Disposing<TEngine>(IConnectionPool pool, ref TEngine? engine, ref PoolSetup? setup)
        where TEngine : class
    {
        ArgumentNullException.ThrowIfNull(pool);
        PoolRegistry.Default.Remove(pool);
        if (Volatile.Read(ref engine) is not null)
        {
            return;
        }

        PoolSetup current = Get(ref setup);
        lock (current)
        {
            if (Volatile.Read(ref engine) is null)
            {
                current._disposedBeforeUse = true;
            }
        }
    }

    /// <summary>
    /// Runs the configuration actions on <paramref name="options"/>, in the order they were added; called under this
    /// setup's lock. Returns false, running nothing, when the pool is being disposed before its first use: the class's
    /// <c>ConfigurePool</c> is then skipped too.
    /// </summary>
    /// <param name="options">The options from the attribute.</param>
    public bool Apply(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_disposedBeforeUse)
        {
            return false;
        }

        _configurations?.Invoke(options);
        return true;
    }

    /// <summary>Records the options the engine was created with and adds the pool to <see cref="PoolRegistry.Default"/>.</summary>
    /// <param name="pool">The pool whose engine was just created and published.</param>
    /// <param name="options">The options it was created with.</param>
    /// <param name="configurationError">
    /// Why the engine rejected the options, if it did: such a pool refuses every rent, and <see cref="GetOptions"/>
    /// throws this, so that hosting code that checks a pool's options at start-up stops there.
    /// </param>
    public void Created(IConnectionPool pool, PoolOptions options, Exception? configurationError = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        _configurationError = configurationError;
        Volatile.Write(ref _createdWith, options.Freeze());
        if (!_disposedBeforeUse)
        {
            PoolRegistry.Default.Add(pool);
        }
    }

    /// <summary>A copy of the options the engine was created with.</summary>
    /// <exception cref="InvalidOperationException">
    /// The engine has not been created, or it rejected these options (the message says why; the pool refuses every rent).
    /// </exception>
    public PoolOptions GetOptions()
    {
        PoolOptions options = Volatile.Read(ref _createdWith)?.Freeze()
            ?? throw new InvalidOperationException("The pool has not been created yet, so it has no options to show.");
        return _configurationError is { } error
            ? throw new InvalidOperationException($"Pool '{options.Name}' cannot be used: its options are invalid. {error.Message}", error)
            : options;
    }
}
