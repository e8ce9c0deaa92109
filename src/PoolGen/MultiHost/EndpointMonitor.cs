using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// Knows each endpoint's role and reachability and publishes them as a <see cref="RouteTable"/>. It checks every
/// endpoint at start, every recheck interval, and soon after errors; checks run in the background, one at a time per
/// endpoint and each bounded by the check timeout, so a hanging host costs one timeout in the background and never a
/// rent's time. It owns the endpoints' state: only it changes their role and online flag, under its lock.
/// </summary>
internal sealed class EndpointMonitor : IDisposable
{
    private readonly EndpointState[] _endpoints;
    private readonly Func<EndpointState, CancellationToken, ValueTask<EndpointRole?>> _probe;
    private readonly Action<EndpointState> _clear;
    private readonly TimeProvider _time;
    private readonly int _checkTimeoutMs;
    private readonly int _recheckIntervalMs;
    private readonly int _failureRecheckMs;
    private readonly object _gate = new();
    private readonly string _poolName;
    private readonly ILogger? _logger;
    private readonly Task?[] _current;
    private readonly Action<RouteTable> _published;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RouteTable _table;
    private ITimer? _timer;
    private int _started;
    private bool _disposed;

    /// <param name="poolName">The multi-host pool's name, for logs.</param>
    /// <param name="logger">Where transitions are logged; null for nowhere.</param>
    /// <param name="endpoints">The endpoints' states, which this monitor alone changes.</param>
    /// <param name="probe">
    /// Checks one endpoint within the token: its role, or null when it could not be asked without waiting for a busy
    /// pool (no verdict: the state stays as it is). Throws when the endpoint cannot be reached.
    /// </param>
    /// <param name="clear">Closes an endpoint's connections: called when it goes offline or changes role.</param>
    /// <param name="published">Told each new table, under the monitor's lock, so tables reach it in order.</param>
    /// <param name="time">The clock and timers.</param>
    /// <param name="checkTimeoutMs">How long one check may take.</param>
    /// <param name="recheckIntervalMs">How often every endpoint is checked.</param>
    /// <param name="failureRecheckMs">How soon after the previous check an endpoint may be checked again after an error.</param>
    public EndpointMonitor(
        string poolName,
        ILogger? logger,
        EndpointState[] endpoints,
        Func<EndpointState, CancellationToken, ValueTask<EndpointRole?>> probe,
        Action<EndpointState> clear,
        Action<RouteTable> published,
        TimeProvider time,
        int checkTimeoutMs,
        int recheckIntervalMs,
        int failureRecheckMs)
    {
        _poolName = poolName;
        _logger = logger;
        _endpoints = endpoints;
        _probe = probe;
        _clear = clear;
        _published = published;
        _time = time;
        _checkTimeoutMs = checkTimeoutMs;
        _recheckIntervalMs = recheckIntervalMs;
        _failureRecheckMs = failureRecheckMs;
        _current = new Task?[endpoints.Length];
        _table = RouteTable.Build(endpoints, _changed.Task);
    }

    /// <summary>The latest table; a rent reads it once.</summary>
    public RouteTable Table => Volatile.Read(ref _table);

    /// <summary>Whether checks have started (on first use of the pool).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    /// <summary>Checks every endpoint now and every recheck interval from now on; does nothing after the first call.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        foreach (EndpointState endpoint in _endpoints)
        {
            RequestCheck(endpoint, rateLimited: false);
        }

        var interval = TimeSpan.FromMilliseconds(_recheckIntervalMs);
        lock (_gate)
        {
            if (!_disposed)
            {
                _timer = _time.CreateTimer(static state => ((EndpointMonitor)state!).RecheckAll(), this, interval, interval);
            }
        }
    }

    /// <summary>An error on a connection of this endpoint: check it again soon.</summary>
    public void Suspect(EndpointState endpoint) => RequestCheck(endpoint, rateLimited: true);

    /// <summary>
    /// A rent could not get a connection from this endpoint: it goes offline now, so the next rents go elsewhere, and
    /// a check in the background brings it back when it answers again.
    /// </summary>
    public void ReportFailure(EndpointState endpoint, Exception error)
    {
        bool wasOnline;
        lock (_gate)
        {
            wasOnline = endpoint.IsOnline;
            MarkOffline(endpoint, error);
            Publish();
        }

        if (wasOnline)
        {
            LogOffline(endpoint, error);
            RunInBackground(() => _clear(endpoint));
        }

        RequestCheck(endpoint, rateLimited: true);
    }

    /// <summary>
    /// A rent found no endpoint for its role: a failover may have happened, so every endpoint is checked again soon
    /// (each at most once per failure-recheck interval), and the new primary is found without waiting for the timer.
    /// </summary>
    public void NoCandidate()
    {
        foreach (EndpointState endpoint in _endpoints)
        {
            RequestCheck(endpoint, rateLimited: true);
        }
    }

    /// <summary>Checks every endpoint now and waits for the checks: <c>CheckHealthAsync</c> and tests use it.</summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        Start();
        var checks = new List<Task>();
        foreach (EndpointState endpoint in _endpoints)
        {
            checks.Add(CheckNowAsync(endpoint, cancellationToken));
        }

        await Task.WhenAll(checks).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the timer and refuses new checks; checks still running change nothing any more. Returns the running
    /// checks, which end within the check timeout: the pool waits for them before it closes the endpoints' pools, so no
    /// check is left talking to a server through a pool that is gone.
    /// </summary>
    public Task StopAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            running = Array.FindAll(_current, t => t is { IsCompleted: false })!;
        }

        // Bounded: a check ends within its timeout, and a user's role check that ignores its token must not hang disposal.
        return Task.WhenAll(running).WaitAsync(TimeSpan.FromMilliseconds(_checkTimeoutMs + 1_000), _time)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc cref="StopAsync"/>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private void RecheckAll()
    {
        foreach (EndpointState endpoint in _endpoints)
        {
            RequestCheck(endpoint, rateLimited: false);
        }
    }

    // Waits for a check of this endpoint: a new one, or the one already running (whose outcome is as fresh).
    private Task CheckNowAsync(EndpointState endpoint, CancellationToken cancellationToken)
    {
        RequestCheck(endpoint, rateLimited: false);
        Task? check;
        lock (_gate)
        {
            check = _current[endpoint.Index];
        }

        return check is null ? Task.CompletedTask : check.WaitAsync(cancellationToken);
    }

    /// <summary>Starts a check of the endpoint in the background unless one runs (or, when rate-limited, ran lately).</summary>
    /// <returns>Whether a check was started.</returns>
    private bool RequestCheck(EndpointState endpoint, bool rateLimited)
    {
        long now = NowMs();
        if (rateLimited && endpoint.Checked && now - Volatile.Read(ref endpoint.LastCheckStartedMs) < _failureRecheckMs)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref endpoint.Checking, 1, 0) != 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                endpoint.Checking = 0;
                return false;
            }

            Volatile.Write(ref endpoint.LastCheckStartedMs, now);
            Task check = Task.Run(() => CheckAsync(endpoint));
            _current[endpoint.Index] = check;
        }

        return true;
    }

    private async Task CheckAsync(EndpointState endpoint)
    {
        try
        {
            EndpointRole? role;
            Exception? error = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(_checkTimeoutMs), _time))
            {
                try
                {
                    role = await _probe(endpoint, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    (role, error) = (null, timeout.IsCancellationRequested && ex is OperationCanceledException
                        ? new TimeoutException($"The role check of {endpoint.Endpoint} did not finish within {_checkTimeoutMs} ms (CheckTimeoutMs).", ex)
                        : ex);
                }
            }

            Apply(endpoint, role, error);
        }
        finally
        {
            Volatile.Write(ref endpoint.Checking, 0);
        }
    }

    private void Apply(EndpointState endpoint, EndpointRole? role, Exception? error)
    {
        bool clear, cameOnline = false;
        EndpointRole before;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            before = endpoint.Role;
            if (error is not null)
            {
                clear = endpoint.IsOnline;
                MarkOffline(endpoint, error);
            }
            else if (role is { } found)
            {
                // A host that changed role (a demoted primary, a promoted standby) has connections opened under the old
                // one: a session may hold assumptions (read-only transactions, prepared writes) that no longer hold.
                clear = endpoint.Role != EndpointRole.Unknown && endpoint.Role != found;
                cameOnline = !endpoint.IsOnline;
                endpoint.Role = found;
                endpoint.IsOnline = true;
                endpoint.OfflineSince = null;
                endpoint.Checked = true;
                endpoint.LastCheck = _time.GetUtcNow();
                endpoint.RecordOutcome(failed: false);
            }
            else
            {
                return; // no verdict: the endpoint was too busy to be asked, which says it works
            }

            Publish();
        }

        // Logged outside the lock, once per transition.
        if (_logger is not null)
        {
            if (error is not null && clear)
            {
                LogOffline(endpoint, error);
            }
            else if (error is not null && !endpoint.LastCheckLogged)
            {
                LogOffline(endpoint, error); // the first check failed: say so once, the endpoint was never online
            }
            else if (error is null && clear)
            {
                MultiHostLog.EndpointRoleChanged(_logger, _poolName, endpoint.Endpoint.ToString(), before, endpoint.Role);
            }
            else if (error is null && cameOnline)
            {
                MultiHostLog.EndpointOnline(_logger, _poolName, endpoint.Endpoint.ToString(), endpoint.Role);
            }

            endpoint.LastCheckLogged = true;
        }

        if (clear)
        {
            _clear(endpoint);
        }
    }

    private void LogOffline(EndpointState endpoint, Exception error)
    {
        if (_logger is not null)
        {
            MultiHostLog.EndpointOffline(
                _logger, _poolName, endpoint.Endpoint.ToString(), endpoint.Role, $"{error.GetType().Name}: {error.Message}", _recheckIntervalMs);
        }
    }

    // Under the lock.
    private void MarkOffline(EndpointState endpoint, Exception error)
    {
        DateTimeOffset now = _time.GetUtcNow();
        endpoint.IsOnline = false;
        endpoint.OfflineSince ??= now;
        endpoint.LastError = $"{error.GetType().Name}: {error.Message}";
        endpoint.Checked = true;
        endpoint.LastCheck = now;
        endpoint.RecordOutcome(failed: true);
    }

    // Under the lock: a new table, and the old one's waiters woken.
    private void Publish()
    {
        TaskCompletionSource old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RouteTable table = RouteTable.Build(_endpoints, _changed.Task);
        Volatile.Write(ref _table, table);
        _published(table);
        old.TrySetResult();
    }

    private void RunInBackground(Action action)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _ = Task.Run(action);
            }
        }
    }

    private long NowMs() => (long)(_time.GetTimestamp() * 1_000.0 / _time.TimestampFrequency);
}
