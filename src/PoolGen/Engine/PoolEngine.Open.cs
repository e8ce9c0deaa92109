using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Claims room for one more connection unless the pool is at Max, MaxConcurrentOpens opens are under way, or the pool
    /// is disposed; the caller must then open one.
    /// </summary>
    private bool TryReserve() => _table.TryReserve(ref _disposed);

    /// <summary>
    /// Gives back room claimed by <see cref="TryReserve"/> or held by a closed connection. The decrement is a full
    /// fence, so a rent that queued earlier is seen and gets a new connection opened for it.
    /// </summary>
    private void Unreserve()
    {
        int reserved = _table.Unreserve();
        if (Volatile.Read(ref _disposed) != 0)
        {
            if (reserved == 0)
            {
                _drained.TrySetResult();
            }

            return;
        }

        if (_queue.Count != 0)
        {
            ServeWaiters();
        }
    }

    private TLease LendNew(TConnection connection)
    {
        (PoolSlot<TConnection, TLease, TPolicy> slot, int token) = Install(connection);
        Volatile.Write(ref slot.Word, SlotState.Pack(token, SlotState.Leased));
        if (Options.MaxConcurrentOpens != 0 && _queue.Count != 0)
        {
            // This open may have been the one that held waiters back from opening their own.
            ServeWaiters();
        }

        return Lend(slot, token);
    }

    /// <summary>Opens a connection and adds it to the idle set; used by warm-up, maintenance and to serve waiters.</summary>
    private async Task OpenIdleAsync(CancellationToken cancellationToken)
    {
        TConnection connection = await OpenAsync(PreciseNowMs(), Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        (PoolSlot<TConnection, TLease, TPolicy> slot, int token) = Install(connection);
        KeepOrCloseArrival(slot, token);
    }

    private void OpenAbandoned()
    {
        _table.OpenEnded();
        Unreserve();
    }

    /// <summary>
    /// Puts a freshly opened connection into an empty slot, which the caller then owns as <see cref="SlotState.Busy"/>,
    /// and records the open: counted, noted by health, and maintenance started with the first connection.
    /// </summary>
    private (PoolSlot<TConnection, TLease, TPolicy> Slot, int Token) Install(TConnection connection)
    {
        long nowMs = NowMs();
        (PoolSlot<TConnection, TLease, TPolicy> Slot, int Token) installed = _table.Install(connection, nowMs, ExpiryFor(nowMs));
        _counters.CountCreated();
        RecordOpenSucceeded();
        EnsureMaintenance();
        EnsureLoadSampling();
        if (Volatile.Read(ref _providerPoolingChecked) == 0)
        {
            CheckProviderPooling(connection);
        }

        return installed;
    }

    /// <summary>
    /// When a connection opened now must be retired: its lifetime shortened by a random share of the jitter, so a
    /// pool filled at once does not expire at once.
    /// </summary>
    private long ExpiryFor(long nowMs)
    {
        if (Options.MaxLifetimeMs == 0)
        {
            return long.MaxValue;
        }

        double jitterMs = Options.MaxLifetimeMs * Options.LifetimeJitterPercent / 100 * Random.Shared.NextDouble();
        return nowMs + Options.MaxLifetimeMs - (long)jitterMs;
    }
}
