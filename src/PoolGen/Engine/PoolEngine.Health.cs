using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>The window rates look at when maintenance passes are off.</summary>
    private const int DefaultHealthWindowMs = 60_000;

    private readonly HealthRecord _health = new();

    /// <summary>
    /// How far back failure rates look: two maintenance intervals, so a pool that works again is healthy again within
    /// two intervals, without any rent.
    /// </summary>
    private long HealthWindowMs => Options.HealthCheckIntervalMs == 0 ? DefaultHealthWindowMs : 2L * Options.HealthCheckIntervalMs;

    /// <summary>
    /// Reports the pool's health from what it knows now, without any I/O: its gauges, its latest check and its recent
    /// opens and validations.
    /// </summary>
    public PoolHealth GetHealth()
    {
        int held = CountLeasesHeldTooLong(out long longestHeldMs);
        return HealthReport.Write(new HealthReport.Inputs(
            GetStats(),
            _health.Read(PreciseNowMs(), HealthWindowMs),
            _settings.Time.GetUtcNow(),
            HealthWindowMs,
            _configurationError,
            Disposed: Volatile.Read(ref _disposed) != 0,
            OldestWaitMs(),
            _settings.AcquireTimeoutMs,
            held,
            longestHeldMs,
            _settings.LeakThresholdMs));
    }

    /// <summary>
    /// Checks the pool by using a connection: an idle one is validated, whatever its age; with none idle and room to
    /// spare, one is opened. A pool whose connections are all leased is not probed (it is in use). Then reports the
    /// pool's health, this check included.
    /// </summary>
    public async ValueTask<PoolHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        long started = _settings.Time.GetTimestamp();
        Exception? failure = null;
        try
        {
            await ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        RecordCheck(started, failure);
        return GetHealth();
    }

    private async ValueTask ProbeAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in _table.Slots)
        {
            if (!_table.TryTakeForEngine(slot, out int token))
            {
                continue;
            }

            bool usable;
            try
            {
                usable = slot.Generation == _table.Generation
                    && (!_policy.HasValidate || await ValidateCountedAsync(slot.Connection!, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                PublishIdle(slot, token);
                throw;
            }

            if (usable)
            {
                PublishIdle(slot, token);
                return;
            }

            // A dead connection found by the check is replaced like one found by a rent; look at the next.
            await RetireAsync(
                slot, token, SlotState.Busy, slot.Generation == _table.Generation ? CloseReason.Validation : CloseReason.Clear).ConfigureAwait(false);
        }

        if (_queue.Count == 0 && TryReserve())
        {
            await OpenIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records the end of a maintenance pass or health check.</summary>
    private void RecordCheck(long startedTimestamp, Exception? failure) =>
        _health.Checked(_settings.Time.GetUtcNow(), _settings.Time.GetElapsedTime(startedTimestamp), failure);

    private void RecordOpenSucceeded() => _health.OpenSucceeded(PreciseNowMs());

    private void RecordOpenFailed(Exception failure) => _health.OpenFailed(failure, PreciseNowMs(), _settings.Time.GetUtcNow());

    private void RecordValidation(bool valid) => _health.Validated(valid, PreciseNowMs());

    private void RecordValidationError(Exception error) => _health.ValidationThrew(error);

    private void RecordTimeout() => _health.TimedOut(PreciseNowMs());

    /// <summary>The error of the pool's latest open, if that open failed; timeouts quote it.</summary>
    private Exception? LatestOpenFailure() => _health.LatestOpenFailure();

    private long OldestWaitMs() => _queue.OldestStartMs() is { } startMs ? PreciseNowMs() - startMs : 0;
}
