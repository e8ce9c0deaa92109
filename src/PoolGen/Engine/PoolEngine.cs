using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PoolGen;

/// <summary>
/// The pool engine: the one place in PoolGen where concurrency is controlled. It keeps connections in slots, hands
/// them out with one compare-and-swap, queues waiters first-in first-out, and counts everything.
/// </summary>
/// <remarks>
/// <para>
/// The generated code creates one engine per annotated instance. The engine is generic over the connection type and
/// the generated policy struct, so the JIT compiles a copy per pool that calls the user's methods directly.
/// </para>
/// <para>
/// Invariants: slots change hands as <see cref="SlotTable{TConnection, TLease, TPolicy}"/> describes (one owner at a
/// time, ownership moved by a compare-and-swap on the slot's word, room bounded by Max); user code runs only while the
/// caller owns the slot, never under the waiter queue's lock.
/// </para>
/// </remarks>
/// <typeparam name="TConnection">The pooled connection type.</typeparam>
/// <typeparam name="TLease">The generated lease type handed to users.</typeparam>
/// <typeparam name="TPolicy">The generated policy that opens, validates, resets and closes connections.</typeparam>
public sealed partial class PoolEngine<TConnection, TLease, TPolicy> : IDisposable, IAsyncDisposable
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private readonly TPolicy _policy;
    private readonly PoolSettings _settings;
    private readonly FailureLogs _failureLogs;

    /// <summary>The slots, the room in them and the generation. A field, never copied: see <see cref="SlotTable{TConnection, TLease, TPolicy}"/>.</summary>
    private SlotTable<TConnection, TLease, TPolicy> _table;

    /// <summary>Nonzero once the pool is disposed, or from the start when its options are invalid.</summary>
    private int _disposed;

    /// <summary>Why the options were rejected; such a pool refuses every rent with this as the cause.</summary>
    private readonly ArgumentException? _configurationError;

    private readonly PoolCounters _counters = new();

    /// <summary>Creates an engine; nothing is opened until the first rent or warm-up.</summary>
    /// <param name="options">The settings; checked here, so a bad value fails at the first use of the pool.</param>
    /// <param name="policy">The connection lifecycle.</param>
    public PoolEngine(PoolOptions options, TPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = options.Name;
        try
        {
            options.Validate();
            if (options.Endpoints.Count > 0)
            {
                throw new ArgumentException(
                    $"Pool '{Name}' lists {options.Endpoints.Count} endpoints ({string.Join(", ", options.Endpoints)}), but its factory " +
                    $"{policy.FactoryName} takes no PoolEndpoint, so it connects to one server only. To route over several servers, give the " +
                    "factory a PoolEndpoint parameter and name a RoleCheck in [ConnectionPool]; otherwise leave Endpoints empty.",
                    nameof(options.Endpoints));
            }
        }
        catch (ArgumentException error)
        {
            // A misconfigured pool must not break its owner's constructor or Dispose: it is created unusable, and
            // every rent says why.
            _configurationError = error;
            _disposed = 1;
            _table = new SlotTable<TConnection, TLease, TPolicy>(this, min: 0, max: 0, maxConcurrentOpens: 0);
            _settings = new PoolSettings(new PoolOptions(Name), hasValidate: false);
            _failureLogs = new FailureLogs(_settings.Logger, Name);
            // Its instruments exist for the fields' sake only: disposed at once, they report nothing and record nothing.
            _metrics = new PoolMetrics(Name, this, meterFactory: null);
            (_waitTime, _useTime) = (_metrics.WaitTime, _metrics.UseTime);
            _metrics.Dispose();
            return;
        }

        _policy = policy;
        _settings = new PoolSettings(options, policy.HasValidate);
        _failureLogs = new FailureLogs(_settings.Logger, Name);
        _metrics = new PoolMetrics(Name, this, Options.MeterFactory);
        (_waitTime, _useTime) = (_metrics.WaitTime, _metrics.UseTime);
        if (_settings.LeakThresholdMs != 0)
        {
            _leaks = new LeakTracker<TConnection, TLease, TPolicy>(_settings.LeakThresholdMs, _settings.Logger, Name, _counters);
        }

        _table = new SlotTable<TConnection, TLease, TPolicy>(this, Options.Min, Options.Max, Options.MaxConcurrentOpens);
        _autoSizer = Options.AutoSize ? new AutoSizer() : null;
        StartStatsTimer();
    }

    /// <summary>The options the pool was created with, frozen.</summary>
    private PoolOptions Options => _settings.Options;

    /// <summary>The pool's name, as used in exceptions.</summary>
    public string Name { get; }

    /// <summary>Why the options were rejected, or null: such a pool refuses every rent. For the generated code.</summary>
    public Exception? ConfigurationError => _configurationError;

    /// <summary>Takes a snapshot of the pool's gauges and counters.</summary>
    public PoolStats GetStats()
    {
        SlotCounts slots = _table.Count();

        int opening = _table.Opening;
        return new PoolStats(
            Name,
            Total: Math.Max(0, _table.Reserved - opening),
            Idle: slots.Idle,
            Leased: slots.Leased,
            Opening: opening,
            Pending: _queue.Count,
            Min: _table.Min,
            Max: _table.Max,
            Created: _counters.Created,
            Closed: _counters.Closed,
            CreateFailures: _counters.CreateFailures,
            ValidationFailures: _counters.ValidationFailures,
            ResetFailures: _counters.ResetFailures,
            Timeouts: _counters.Timeouts,
            Cancellations: _counters.Cancellations,
            Rents: slots.Rents,
            Waits: _counters.Waits,
            StaleDisposals: _counters.StaleDisposals,
            Broken: _counters.Broken,
            LeaksSuspected: _counters.LeaksSuspected,
            UserCodeErrors: _counters.UserCodeErrors)
        {
            Shed = _counters.Shed,
        };
    }

    /// <summary>
    /// Milliseconds on the engine's clock for the hot path: the shared coarse clock for the system clock, the
    /// provider otherwise. Coarse values are tick counts a few milliseconds old, so they mix with <see cref="PreciseNowMs"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long NowMs() =>
        _settings.SystemClock ? CoarseClock.NowMs : _settings.Time.GetTimestamp() * 1000 / _settings.Time.TimestampFrequency;

    /// <summary>
    /// Milliseconds on the engine's clock for waits and timeouts: exact, because the coarse clock is refreshed on the
    /// thread pool and lags when the pool is starved, which is exactly when rents wait.
    /// </summary>
    private long PreciseNowMs() =>
        _settings.SystemClock ? Environment.TickCount64 : _settings.Time.GetTimestamp() * 1000 / _settings.Time.TimestampFrequency;

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            ThrowDisposed();
        }
    }

    private void ThrowDisposed() =>
        throw (_configurationError is { } error
            ? new InvalidOperationException($"Pool '{Name}' cannot be used: its options are invalid. {error.Message}", error)
            : CreateDisposedException());

    private ObjectDisposedException CreateDisposedException() =>
        new(Name, $"Pool '{Name}' has been disposed, so it hands out no more connections. Dispose the pool's owner only when the application shuts down (register it as a singleton).");
}
