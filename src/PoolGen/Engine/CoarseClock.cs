using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace PoolGen;

/// <summary>
/// A millisecond clock that costs one memory read. Reading <see cref="Environment.TickCount64"/> costs more than the
/// rest of a rent and return together, and a pool only needs to know time to within a few milliseconds (validation
/// windows, idle timeouts and lifetimes are hundreds of milliseconds and more), so one process-wide timer refreshes
/// a shared value every <see cref="ResolutionMs"/> while pools are in use and stops when they are not.
/// </summary>
internal static class CoarseClock
{
    /// <summary>How stale a read may be, give or take the timer's own lateness.</summary>
    public const int ResolutionMs = 10;

    /// <summary>Refreshes without a reader before the timer stops: about two seconds.</summary>
    private const int IdleRefreshesBeforeStop = 200;

    private static readonly object s_gate = new();
    private static long s_nowMs;
    private static int s_readSinceRefresh;
    private static int s_idleRefreshes;
    private static Timer? s_timer;

    /// <summary>Milliseconds since an arbitrary start, never decreasing, at most about <see cref="ResolutionMs"/> behind.</summary>
    public static long NowMs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            // Readers write the flag only when the timer has cleared it, so on the hot path this is one shared read.
            if (Volatile.Read(ref s_readSinceRefresh) == 0)
            {
                return ReadAndKeepRunning();
            }

            return Volatile.Read(ref s_nowMs);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ReadAndKeepRunning()
    {
        // A full fence between setting the flag and looking at the timer, matching the one in Refresh between
        // dropping the timer and looking at the flag: either this read sees the timer gone and starts one, or the
        // stopping refresh sees the flag and starts one. Without it the clock could stop with the flag set, frozen.
        Interlocked.Exchange(ref s_readSinceRefresh, 1);
        long now = Advance();
        if (Volatile.Read(ref s_timer) is null)
        {
            Start();
        }

        return now;
    }

    private static void Start()
    {
        lock (s_gate)
        {
            if (s_timer is not null)
            {
                return;
            }

            s_idleRefreshes = 0;
            using (ExecutionContext.SuppressFlow())
            {
                s_timer = new Timer(static _ => Refresh(), null, ResolutionMs, ResolutionMs);
            }
        }
    }

    private static void Refresh()
    {
        Advance();
        if (Interlocked.Exchange(ref s_readSinceRefresh, 0) != 0)
        {
            s_idleRefreshes = 0;
            return;
        }

        if (++s_idleRefreshes < IdleRefreshesBeforeStop)
        {
            return;
        }

        // Nobody has read the clock for a while: stop waking the process. The next read starts the timer again.
        Timer? stopped;
        lock (s_gate)
        {
            stopped = s_timer;
            Interlocked.Exchange(ref s_timer, null);
        }

        stopped?.Dispose();
        if (Volatile.Read(ref s_readSinceRefresh) != 0)
        {
            Start();
        }
    }

    /// <summary>Moves the shared value up to the real tick count; never backwards, whoever writes first.</summary>
    private static long Advance()
    {
        long now = Environment.TickCount64;
        long current = Volatile.Read(ref s_nowMs);
        while (now > current)
        {
            long seen = Interlocked.CompareExchange(ref s_nowMs, now, current);
            if (seen == current)
            {
                return now;
            }

            current = seen;
        }

        return current;
    }
}
