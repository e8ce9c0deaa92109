using System;
using System.Threading;

namespace PoolGen;

// The engine's periodic work (maintenance, load sampling, the stats callback) runs on timers made here, the one way.
public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    private static readonly TimerCallback s_tick = static state =>
    {
        var tick = (WeakTick)state!;
        if (tick.Engine.TryGetTarget(out PoolEngine<TConnection, TLease, TPolicy>? engine))
        {
            tick.Work(engine);
        }
    };

    /// <summary>
    /// Starts a periodic timer into <paramref name="field"/> unless one is there, and stops it at once if the pool was
    /// disposed meanwhile. The timer holds the engine weakly, so a pool its owner forgot to dispose can still be
    /// collected, and it does not capture the execution context of whichever call started it.
    /// </summary>
    /// <param name="field">Where the timer is kept, for the Stop method that disposes it.</param>
    /// <param name="work">The work of one tick; a static lambda, so that it holds no engine itself.</param>
    /// <param name="interval">The time between ticks, and before the first.</param>
    private void StartTimer(ref ITimer? field, Action<PoolEngine<TConnection, TLease, TPolicy>> work, TimeSpan interval)
    {
        if (Volatile.Read(ref field) is not null)
        {
            return;
        }

        ITimer timer;
        using (ExecutionContext.SuppressFlow())
        {
            timer = _settings.Time.CreateTimer(s_tick, new WeakTick(new(this), work), interval, interval);
        }

        if (Interlocked.CompareExchange(ref field, timer, null) is not null || Volatile.Read(ref _disposed) != 0)
        {
            timer.Dispose();
        }
    }

    private sealed record WeakTick(
        WeakReference<PoolEngine<TConnection, TLease, TPolicy>> Engine, Action<PoolEngine<TConnection, TLease, TPolicy>> Work);
}
