using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

// Routing a rent: quota, route table, balancer, the endpoint's own pool; on an endpoint's failure, the next endpoint.
public sealed partial class MultiHostPool<TConnection, TLease>
{
    /// <summary>Rents for the default workload (<see cref="MultiHostOptions{TConnection}.DefaultWorkload"/>), waiting up to the acquire timeout.</summary>
    /// <exception cref="EndpointUnavailableException">No endpoint the workload may use is online.</exception>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    public MultiHostLease<TConnection, TLease> Rent() => RentChecked(_defaultWorkload, _defaultTimeout);

    /// <summary>Rents for the default workload, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the rent may take; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    public MultiHostLease<TConnection, TLease> Rent(TimeSpan timeout) => Rent(_defaultWorkload, timeout);

    /// <summary>Rents for the default workload asynchronously, waiting up to the acquire timeout.</summary>
    /// <param name="cancellationToken">Cancels the rent.</param>
    public ValueTask<MultiHostLease<TConnection, TLease>> RentAsync(CancellationToken cancellationToken = default) =>
        RentCheckedAsync(_defaultWorkload, _defaultTimeout, cancellationToken);

    /// <summary>Rents for the default workload asynchronously, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="timeout">How long the rent may take; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the rent.</param>
    public ValueTask<MultiHostLease<TConnection, TLease>> RentAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        RentAsync(_defaultWorkload, timeout, cancellationToken);

    /// <summary>Rents an idle connection for the default workload only if one can be had at once.</summary>
    /// <param name="lease">The lease, when the method returns true.</param>
    public bool TryRent([MaybeNullWhen(false)] out MultiHostLease<TConnection, TLease> lease) => TryRent(_defaultWorkload, out lease);

    /// <summary>Rents for <paramref name="workload"/>, waiting up to the acquire timeout.</summary>
    /// <param name="workload">What the connection is for; it decides the endpoints and the quota.</param>
    /// <exception cref="EndpointUnavailableException">No endpoint the workload may use is online.</exception>
    /// <exception cref="WorkloadQuotaException">The workload's quota stayed full for the whole timeout.</exception>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    public MultiHostLease<TConnection, TLease> Rent(Workload workload) => RentChecked(workload, _defaultTimeout);

    /// <summary>Rents for <paramref name="workload"/>, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="workload">What the connection is for; it decides the endpoints and the quota.</param>
    /// <param name="timeout">How long the rent may take; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    public MultiHostLease<TConnection, TLease> Rent(Workload workload, TimeSpan timeout)
    {
        CheckTimeout(timeout);
        return RentChecked(workload, timeout);
    }

    // A rent whose timeout is known to be valid: the caller's, checked, or the pool's own.
    private MultiHostLease<TConnection, TLease> RentChecked(Workload workload, TimeSpan timeout)
    {
        WorkloadQuota? quota = QuotaOf(workload);
        if (quota is null || quota.TryEnter())
        {
            if (TryRentRouted(workload, quota, out MultiHostLease<TConnection, TLease> lease, out EndpointState? first))
            {
                return lease;
            }

            return RentSlow(workload, timeout, quotaHeld: true, first);
        }

        return RentSlow(workload, timeout, quotaHeld: false, first: null);
    }

    /// <summary>Rents for <paramref name="workload"/> asynchronously, waiting up to the acquire timeout.</summary>
    /// <param name="workload">What the connection is for; it decides the endpoints and the quota.</param>
    /// <param name="cancellationToken">Cancels the rent.</param>
    /// <exception cref="EndpointUnavailableException">No endpoint the workload may use is online.</exception>
    /// <exception cref="WorkloadQuotaException">The workload's quota stayed full for the whole timeout.</exception>
    /// <exception cref="PoolTimeoutException">No connection became free in time.</exception>
    public ValueTask<MultiHostLease<TConnection, TLease>> RentAsync(Workload workload, CancellationToken cancellationToken = default) =>
        RentCheckedAsync(workload, _defaultTimeout, cancellationToken);

    /// <summary>
    /// Rents for <paramref name="workload"/> asynchronously, waiting up to <paramref name="timeout"/>. Completes at
    /// once, allocating nothing, when the chosen endpoint has an idle connection.
    /// </summary>
    /// <param name="workload">What the connection is for; it decides the endpoints and the quota.</param>
    /// <param name="timeout">How long the rent may take; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    /// <param name="cancellationToken">Cancels the rent.</param>
    public ValueTask<MultiHostLease<TConnection, TLease>> RentAsync(
        Workload workload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        CheckTimeout(timeout);
        return RentCheckedAsync(workload, timeout, cancellationToken);
    }

    private ValueTask<MultiHostLease<TConnection, TLease>> RentCheckedAsync(Workload workload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        WorkloadQuota? quota = QuotaOf(workload);
        if (quota is null || quota.TryEnter())
        {
            if (TryRentRouted(workload, quota, out MultiHostLease<TConnection, TLease> lease, out EndpointState? first))
            {
                return new ValueTask<MultiHostLease<TConnection, TLease>>(lease);
            }

            return RentSlowAsync(workload, timeout, quotaHeld: true, first, cancellationToken);
        }

        return RentSlowAsync(workload, timeout, quotaHeld: false, first: null, cancellationToken);
    }

    /// <summary>
    /// Rents an idle connection for <paramref name="workload"/> only if the chosen endpoint has one and the quota has
    /// room: no waiting, no opening. When it returns false, <paramref name="lease"/> is empty and needs no disposing.
    /// </summary>
    /// <param name="workload">What the connection is for.</param>
    /// <param name="lease">The lease, when the method returns true.</param>
    public bool TryRent(Workload workload, [MaybeNullWhen(false)] out MultiHostLease<TConnection, TLease> lease)
    {
        WorkloadQuota? quota = QuotaOf(workload);
        if (quota is not null && !quota.TryEnter())
        {
            lease = default;
            return false;
        }

        if (TryRentRouted(workload, quota, out lease, out _))
        {
            return true;
        }

        quota?.Exit();
        return false;
    }

    // The hot path: one table read, one balancer call, the endpoint pool's own TryRent. Anything else is the slow path's.
    private bool TryRentRouted(
        Workload workload, WorkloadQuota? quota, out MultiHostLease<TConnection, TLease> lease, out EndpointState? chosen)
    {
        ReadOnlySpan<EndpointState> candidates = _monitor.Table.Candidates(_routes[(int)workload]);
        if (candidates.Length == 0)
        {
            (lease, chosen) = (default, null);
            return false;
        }

        chosen = candidates[Choose(candidates, workload)];
        if (_pools[chosen.Index].TryRent(out TLease inner))
        {
            lease = Wrap(inner, chosen, quota, workload);
            return true;
        }

        lease = default;
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<MultiHostLease<TConnection, TLease>> RentSlowAsync(
        Workload workload, TimeSpan timeout, bool quotaHeld, EndpointState? first, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        WorkloadQuota? quota = _quotas![(int)workload];
        if (quota is not null && !quotaHeld && !await quota.EnterAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw Failed(workload, new WorkloadQuotaException(Name, workload, quota.Limit, quota.Percent, _time.GetElapsedTime(started)));
        }

        try
        {
            ulong tried = 0;
            EndpointState? endpoint = first;
            while (true)
            {
                if ((endpoint = Next(endpoint, workload, ref tried, started, timeout, out int count, out RouteTable table)) is null)
                {
                    try
                    {
                        await table.Changed.WaitAsync(Remaining(started, timeout), _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        throw Unavailable(workload, _routes[(int)workload], _time.GetElapsedTime(started));
                    }

                    continue;
                }

                try
                {
                    TLease inner = await _pools[endpoint.Index]
                        .RentAsync(AttemptTimeout(started, timeout, count), cancellationToken).ConfigureAwait(false);
                    return Wrap(inner, endpoint, quota, workload);
                }
                catch (Exception error) when (TryAnother(endpoint, error, started, timeout))
                {
                    tried |= 1UL << endpoint.Index;
                    endpoint = null;
                }
            }
        }
        catch (Exception error)
        {
            quota?.Exit();
            Failed(workload, error);
            throw;
        }
    }

    // The same steps as RentSlowAsync, blocking.
    private MultiHostLease<TConnection, TLease> RentSlow(Workload workload, TimeSpan timeout, bool quotaHeld, EndpointState? first)
    {
        long started = _time.GetTimestamp();
        WorkloadQuota? quota = _quotas![(int)workload];
        if (quota is not null && !quotaHeld && !quota.Enter(timeout, CancellationToken.None))
        {
            throw Failed(workload, new WorkloadQuotaException(Name, workload, quota.Limit, quota.Percent, _time.GetElapsedTime(started)));
        }

        try
        {
            ulong tried = 0;
            EndpointState? endpoint = first;
            while (true)
            {
                if ((endpoint = Next(endpoint, workload, ref tried, started, timeout, out int count, out RouteTable table)) is null)
                {
                    if (!table.Changed.Wait(Remaining(started, timeout)))
                    {
                        throw Unavailable(workload, _routes[(int)workload], _time.GetElapsedTime(started));
                    }

                    continue;
                }

                try
                {
                    TLease inner = _pools[endpoint.Index].Rent(AttemptTimeout(started, timeout, count));
                    return Wrap(inner, endpoint, quota, workload);
                }
                catch (Exception error) when (TryAnother(endpoint, error, started, timeout))
                {
                    tried |= 1UL << endpoint.Index;
                    endpoint = null;
                }
            }
        }
        catch (Exception error)
        {
            quota?.Exit();
            Failed(workload, error);
            throw;
        }
    }

    /// <summary>
    /// The endpoint a slow rent tries next: <paramref name="endpoint"/> when the fast path already chose one, else the
    /// balancer's choice among the candidates not tried yet. Null when nothing known can serve the rent but endpoints are
    /// still being checked for the first time: the caller waits for <paramref name="table"/> to change, within its time.
    /// Throws when nothing can serve it at all.
    /// </summary>
    /// <param name="endpoint">The endpoint the fast path chose, or null.</param>
    /// <param name="workload">The rent's workload, which decides the role.</param>
    /// <param name="tried">The endpoints this rent has already failed on, one bit each.</param>
    /// <param name="started">When the rent started, on the pool's clock.</param>
    /// <param name="timeout">The rent's whole time.</param>
    /// <param name="candidates">How many endpoints could serve the rent, which caps one attempt's time.</param>
    /// <param name="table">The route table this choice was made from.</param>
    private EndpointState? Next(
        EndpointState? endpoint, Workload workload, ref ulong tried, long started, TimeSpan timeout, out int candidates, out RouteTable table)
    {
        TargetRole target = _routes[(int)workload];
        table = _monitor.Table;
        candidates = table.Candidates(target).Length;
        if (endpoint is not null || (endpoint = Pick(table, target, workload, ref tried, out candidates)) is not null)
        {
            return endpoint;
        }

        return table.Unchecked > 0 && Remaining(started, timeout) != TimeSpan.Zero
            ? null
            : throw NoCandidate(workload, target, table, started);
    }

    private int Choose(ReadOnlySpan<EndpointState> candidates, Workload workload)
    {
        int index = candidates.Length == 1 ? 0 : _balancer.Choose(candidates, workload);
        return (uint)index < (uint)candidates.Length ? index : throw BadChoice(index, candidates.Length);
    }

    // The balancer's choice among the candidates not tried yet by this rent; when all were tried, all again.
    private EndpointState? Pick(RouteTable table, TargetRole target, Workload workload, ref ulong tried, out int count)
    {
        ReadOnlySpan<EndpointState> candidates = table.Candidates(target);
        if (tried != 0)
        {
            EndpointState[] untried = new EndpointState[candidates.Length];
            int n = 0;
            foreach (EndpointState candidate in candidates)
            {
                if ((tried & (1UL << candidate.Index)) == 0)
                {
                    untried[n++] = candidate;
                }
            }

            if (n > 0)
            {
                candidates = untried.AsSpan(0, n);
            }
            else
            {
                tried = 0;
            }
        }

        count = candidates.Length;
        return count == 0 ? null : candidates[Choose(candidates, workload)];
    }

    /// <summary>
    /// After a rent on <paramref name="endpoint"/> failed: whether to go on with another endpoint. An endpoint that could
    /// not open a connection goes offline first. Cancellation, disposal and the pool's own errors end the rent.
    /// </summary>
    private bool TryAnother(EndpointState endpoint, Exception error, long started, TimeSpan timeout)
    {
        bool endpointFailed = error is PoolConnectionException or PoolTimeoutException { OpenInProgress: true }
            or PoolTimeoutException { LastCreationError: not null };
        if (endpointFailed)
        {
            _monitor.ReportFailure(endpoint, error);
        }

        return error is PoolConnectionException or PoolTimeoutException && Remaining(started, timeout) != TimeSpan.Zero;
    }

    /// <summary>
    /// How long one endpoint may take: the rest of the rent's time, but no more than the check timeout when another
    /// endpoint could serve the rent, so a host that hangs costs a rent one check timeout at most.
    /// </summary>
    private TimeSpan AttemptTimeout(long started, TimeSpan timeout, int candidates)
    {
        TimeSpan left = Remaining(started, timeout);
        if (candidates <= 1)
        {
            return left;
        }

        var cap = TimeSpan.FromMilliseconds(_checkTimeoutMs);
        return left == Timeout.InfiniteTimeSpan || left > cap ? cap : left;
    }

    private TimeSpan Remaining(long started, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Timeout.InfiniteTimeSpan;
        }

        TimeSpan left = timeout - _time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private MultiHostLease<TConnection, TLease> Wrap(TLease inner, EndpointState endpoint, WorkloadQuota? quota, Workload workload)
    {
        _metrics.Rented(workload, endpoint);
        return new MultiHostLease<TConnection, TLease>(inner, endpoint, quota, endpoint.Lend(quota));
    }

    /// <summary>The workload's quota (null for none); on the pool's first use, starts the checks and sizes the quotas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private WorkloadQuota? QuotaOf(Workload workload)
    {
        if ((uint)workload >= (uint)WorkloadCount)
        {
            throw new ArgumentOutOfRangeException(nameof(workload), workload, $"Multi-host pool '{Name}': {workload} is not a workload.");
        }

        ThrowIfDisposed();
        WorkloadQuota?[] quotas = Volatile.Read(ref _quotas) ?? Start();
        return quotas[(int)workload];
    }

    /// <summary>Starts the checks and sizes the quotas, as the first rent would.</summary>
    private void EnsureStarted() => QuotaOf(_defaultWorkload);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WorkloadQuota?[] Start()
    {
        lock (_quotaLock)
        {
            if (_quotas is null)
            {
                // Sized from the endpoints' Max at first use: ConfigurePool of each endpoint class has run by then.
                int totalMax = 0;
                foreach (IConnectionPool<TConnection, TLease> pool in _pools)
                {
                    totalMax += pool.Stats.Max;
                }

                var quotas = new WorkloadQuota?[WorkloadCount];
                foreach ((Workload workload, int percent) in _quotaPercent)
                {
                    quotas[(int)workload] = new WorkloadQuota(workload, percent, WorkloadQuota.LimitFor(totalMax, percent));
                }

                Volatile.Write(ref _quotas, quotas);
                _metrics.Sized(quotas);
            }
        }

        _monitor.Start();
        return _quotas!;
    }

    // Counted in poolgen.workload.failures; returned, so a throw reads as one.
    private Exception Failed(Workload workload, Exception error)
    {
        _metrics.Failed(workload, error);
        return error;
    }

    private void CheckTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout), timeout, $"Multi-host pool '{Name}': a rent's timeout must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
    }

    private EndpointUnavailableException NoCandidate(Workload workload, TargetRole target, RouteTable table, long started)
    {
        // A failover may be under way: have every endpoint checked soon, so that the next rents find the new primary.
        _monitor.NoCandidate();
        return Unavailable(workload, target, table.Unchecked > 0 ? _time.GetElapsedTime(started) : TimeSpan.Zero);
    }

    private EndpointUnavailableException Unavailable(Workload workload, TargetRole target, TimeSpan waited) =>
        new(Name, workload, target, Array.ConvertAll(_endpoints, e => e.ToString()), _recheckIntervalMs, waited);

    private InvalidOperationException BadChoice(int index, int count) =>
        new($"Multi-host pool '{Name}': the balancer {_balancer.GetType().Name} chose candidate {index} of {count}; " +
            $"IEndpointBalancer.Choose must return an index from 0 to {count - 1}.");
}
