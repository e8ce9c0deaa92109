using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PoolGen.Hosting;

/// <summary>
/// Starts and stops the registered pools with the host: checks their options before any other service starts, warms
/// them up, and disposes them gracefully after the other services have stopped.
/// </summary>
internal sealed partial class ConnectionPoolHostedService : IHostedLifecycleService
{
    private readonly IServiceProvider _services;
    private readonly IReadOnlyList<ConnectionPoolRegistration> _registrations;
    private readonly ILogger _logger;
    private readonly List<(ConnectionPoolRegistration Registration, IConfigurablePool Pool)> _started = new();

    public ConnectionPoolHostedService(IServiceProvider services, IEnumerable<ConnectionPoolRegistration> registrations, ILoggerFactory? loggerFactory = null)
    {
        _services = services;
        _registrations = registrations.ToArray();
        _logger = (ILogger?)loggerFactory?.CreateLogger("PoolGen.Hosting") ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates every registered pool and checks its options, before any hosted service's StartAsync (the web server's
    /// among them): a bad value stops start-up with the pool's own message.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (ConnectionPoolRegistration registration in _registrations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IConfigurablePool pool = registration.Resolve(_services);
            PoolOptions options;
            try
            {
                options = pool.GetOptions();
                options.Validate();
            }
            catch (Exception error) when (error is ArgumentException or InvalidOperationException)
            {
                // A pool whose engine rejected its options says so through GetOptions; its cause is the setting's own error.
                Exception cause = error is InvalidOperationException { InnerException: ArgumentException rejected } ? rejected : error;
                throw new InvalidOperationException(
                    $"The connection pool {registration.Describe()} cannot start: {cause.Message}", cause);
            }

            lock (_started)
            {
                _started.Add((registration, pool));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Warms up the pools that asked for it, all at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Started().Where(p => p.Registration.WarmUp).Select(p => WarmUpAsync(p.Registration, p.Pool, cancellationToken)));

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Disposes the pools gracefully once every hosted service has stopped (a web server has drained its requests by
    /// then): each waits up to its ShutdownTimeoutMs for leases to come back, and none waits past the host's shutdown
    /// timeout.
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var pools = Started().Where(p => p.Registration.DisposeOnStop).ToArray();
        if (pools.Length == 0)
        {
            return;
        }

        Task all = Task.WhenAll(pools.Select(p => p.Pool.DisposeAsync().AsTask()));
        try
        {
            await all.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            int leased = pools.Sum(p => p.Pool.Stats.Leased);
            LogShutdownCut(_logger, pools.Length, leased);
        }
    }

    private async Task WarmUpAsync(ConnectionPoolRegistration registration, IConfigurablePool pool, CancellationToken cancellationToken)
    {
        try
        {
            await pool.WarmUpAsync(cancellationToken).ConfigureAwait(false);
            PoolStats stats = pool.Stats;
            LogWarmedUp(_logger, pool.Name, stats.Total, stats.Min);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (registration.WarmUpRequired)
            {
                throw new InvalidOperationException(
                    $"The connection pool {registration.Describe()} could not open its Min connections when the host started, " +
                    $"and its warm-up is required (WarmUpOnStart(required: true)): {error.Message}", error);
            }

            LogWarmUpFailed(_logger, pool.Name, error);
        }
    }

    private (ConnectionPoolRegistration Registration, IConfigurablePool Pool)[] Started()
    {
        lock (_started)
        {
            return _started.ToArray();
        }
    }

    [LoggerMessage(EventId = 40, EventName = "PoolWarmedUp", Level = LogLevel.Information,
        Message = "Pool '{Pool}' warmed up at start, with {Open} open of Min {Min}.")]
    private static partial void LogWarmedUp(ILogger logger, string pool, int open, int min);

    [LoggerMessage(EventId = 41, EventName = "PoolWarmUpFailed", Level = LogLevel.Warning,
        Message = "Pool '{Pool}' could not open its Min connections at start; the host starts anyway, the pool opens connections when rents need them, and its health check reports the failure.")]
    private static partial void LogWarmUpFailed(ILogger logger, string pool, Exception error);

    [LoggerMessage(EventId = 42, EventName = "PoolShutdownCut", Level = LogLevel.Warning,
        Message = "The host's shutdown timeout ended while {Pools} pools were closing, with {Leased} leases still out; they are closed when they come back.")]
    private static partial void LogShutdownCut(ILogger logger, int pools, int leased);
}
