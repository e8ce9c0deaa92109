using System;

namespace PoolGen;

/// <summary>
/// The failure recorded when a pool's factory returns null: a bug in the factory, so it is not retried. Rents see it
/// as the inner exception of <see cref="PoolConnectionException"/>.
/// </summary>
internal sealed class FactoryReturnedNullException(string pool, string factory)
    : InvalidOperationException(
        $"Pool '{pool}': its factory {factory} returned null. A factory must return an open connection or throw; the pool " +
        "counted nothing as open.");
