using System;

namespace PoolGen;

/// <summary>
/// A pool that an outside party, such as dependency injection, can configure before its first use. Every generated pool
/// implements it, explicitly: it is for hosting code, not for the code that rents.
/// </summary>
/// <remarks>
/// <para>
/// The options a pool is created with are built in this order, so that code always has the last word:
/// </para>
/// <list type="number">
/// <item><description>the values written on <see cref="ConnectionPoolAttribute"/> (and the defaults of the rest);</description></item>
/// <item><description>every action added with <see cref="Configure"/>, in the order they were added (dependency injection adds
/// the logger and meter factories, then configuration, then the application's own actions);</description></item>
/// <item><description>the class's own <c>ConfigurePool</c> method.</description></item>
/// </list>
/// <para>
/// A pool is created by its first rent, <c>WarmUpAsync</c>, <c>Stats</c> or health read, or <see cref="GetOptions"/>.
/// </para>
/// </remarks>
public interface IConfigurablePool : IConnectionPool
{
    /// <summary>
    /// Whether the pool has been created. From then on its options are fixed and <see cref="Configure"/> throws.
    /// </summary>
    bool IsCreated { get; }

    /// <summary>
    /// Adds an action that adjusts the pool's options when the pool is created, after the attribute's values and before
    /// the class's <c>ConfigurePool</c>. Actions run in the order they were added, once, on the thread that first uses
    /// the pool; an action that throws fails that use, and runs again on the next one.
    /// </summary>
    /// <param name="configure">Changes the options in place.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The pool has already been created (see <see cref="IsCreated"/>).</exception>
    void Configure(Action<PoolOptions> configure);

    /// <summary>
    /// A copy of the options the pool was created with, after every configuration step; it creates the pool if it does
    /// not exist yet. Changing the copy changes nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The pool rejected its options (a value out of range, a multi-host pool with no endpoints): the exception its
    /// rents throw, whose inner exception names the setting. Hosting checks this at start-up.
    /// </exception>
    PoolOptions GetOptions();
}
