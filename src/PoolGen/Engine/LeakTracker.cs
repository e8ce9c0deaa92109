using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace PoolGen;

/// <summary>
/// Runtime leak detection for one pool: remembers when and where each lease was rented, reports once each lease held
/// longer than the threshold, and says where the leases still out were rented. The engine creates it only when
/// <see cref="PoolOptions.LeakThresholdMs"/> is set; otherwise it does not exist and slots carry no record.
/// </summary>
internal sealed class LeakTracker<TConnection, TLease, TPolicy>
    where TConnection : class
    where TLease : struct, IPoolLease<TLease, PoolHandle<TConnection, TLease, TPolicy>>, IConnectionLease<TConnection>
    where TPolicy : struct, IConnectionPolicy<TConnection>
{
    private readonly int _thresholdMs;
    private readonly ILogger _logger;
    private readonly string _pool;
    private readonly PoolCounters _counters;

    public LeakTracker(int thresholdMs, ILogger logger, string pool, PoolCounters counters)
    {
        _thresholdMs = thresholdMs;
        _logger = logger;
        _pool = pool;
        _counters = counters;
    }

    /// <summary>The stack of the rent in progress; taken on the renting thread, before any await loses it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static StackTrace CaptureRentSite() => new(skipFrames: 1, fNeedFileInfo: true);

    /// <summary>Notes when and where a lease was rented; called before the lease reaches its caller.</summary>
    public void Track(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long nowMs, StackTrace site)
    {
        // The lease is not yet in its caller's hands, so this thread still owns the slot and its record.
        LeakRecord record = slot.Leak ??= new LeakRecord();
        record.LentAtMs = nowMs;
        record.RentSite = site;
        Volatile.Write(ref record.TrackedToken, token);
    }

    /// <summary>Reports, once each, the tracked leases held longer than the threshold.</summary>
    public void Report(PoolSlot<TConnection, TLease, TPolicy>[] slots, long nowMs)
    {
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in slots)
        {
            if (!IsHeldTooLong(slot, nowMs, out long heldMs, out int token) || slot.Leak!.ReportedToken == token)
            {
                continue;
            }

            StackTrace? site = slot.Leak.RentSite;

            // Re-read the word: if the lease ended while its site was read, the site may belong to the next one.
            if (Volatile.Read(ref slot.Word) != SlotState.Pack(token, SlotState.Leased))
            {
                continue;
            }

            slot.Leak.ReportedToken = token;
            _counters.CountLeakSuspected();
            PoolLog.LeakSuspected(_logger, _pool, heldMs, _thresholdMs, FormatRentSite(site));
        }
    }

    /// <summary>Counts the tracked leases held longer than the threshold right now, and the longest hold.</summary>
    public int CountHeldTooLong(PoolSlot<TConnection, TLease, TPolicy>[] slots, long nowMs, out long longestMs)
    {
        longestMs = 0;
        int count = 0;
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in slots)
        {
            if (IsHeldTooLong(slot, nowMs, out long heldMs, out _))
            {
                count++;
                longestMs = Math.Max(longestMs, heldMs);
            }
        }

        return count;
    }

    /// <summary>Where the leases still out were rented, for the shutdown log: one stack per lease, at most ten.</summary>
    public string DescribeRentSites(PoolSlot<TConnection, TLease, TPolicy>[] slots)
    {
        var text = new StringBuilder();
        int listed = 0;
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in slots)
        {
            if (!IsTracked(slot, out _))
            {
                continue;
            }

            if (++listed > 10)
            {
                text.Append(Environment.NewLine).Append("(more leases not listed)");
                break;
            }

            text.Append(Environment.NewLine).Append("A lease rented at:").Append(FormatRentSite(slot.Leak!.RentSite));
        }

        return text.ToString();
    }

    private bool IsHeldTooLong(PoolSlot<TConnection, TLease, TPolicy> slot, long nowMs, out long heldMs, out int token)
    {
        heldMs = 0;
        if (!IsTracked(slot, out token))
        {
            return false;
        }

        heldMs = nowMs - slot.Leak!.LentAtMs;
        return heldMs >= _thresholdMs;
    }

    /// <summary>Whether the slot is leased by the lease its record tracks.</summary>
    private static bool IsTracked(PoolSlot<TConnection, TLease, TPolicy> slot, out int token)
    {
        long word = Volatile.Read(ref slot.Word);
        token = SlotState.TokenOf(word);
        return SlotState.StateOf(word) == SlotState.Leased
            && slot.Leak is { } record
            && Volatile.Read(ref record.TrackedToken) == token;
    }

    /// <summary>The rent's stack from the first frame outside the pool engine, one frame per line.</summary>
    private static string FormatRentSite(StackTrace? site)
    {
        if (site is null)
        {
            return " (unknown)";
        }

        var text = new StringBuilder();
        foreach (string line in site.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries))
        {
            if (text.Length == 0 && line.Contains("PoolGen.PoolEngine`3", StringComparison.Ordinal))
            {
                continue;
            }

            text.Append(Environment.NewLine).Append(line);
        }

        return text.ToString();
    }
}

/// <summary>What leak detection knows of a slot's current lease; exists only on slots of pools that track leaks.</summary>
internal sealed class LeakRecord
{
    /// <summary>
    /// The token of the lease <see cref="LentAtMs"/> and <see cref="RentSite"/> belong to, written last by the renting
    /// thread so that the maintenance pass never pairs one lease's time with another's.
    /// </summary>
    public int TrackedToken = -1;

    /// <summary>When the tracked lease was handed out.</summary>
    public long LentAtMs;

    /// <summary>The stack of the call that rented the tracked lease.</summary>
    public StackTrace? RentSite;

    /// <summary>The token of the last lease reported as leaked, so each is reported once.</summary>
    public int ReportedToken = -1;
}
