using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>Notes when and where a lease was rented, so that maintenance can report it if it is held too long.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Track(TLease lease, StackTrace site)
    {
        PoolHandle<TConnection, TLease, TPolicy> handle = lease.Handle;
        if (handle.Slot is { } slot)
        {
            // The lease is not yet in its caller's hands, so this thread still owns the slot's fields.
            slot.LentAtMs = NowMs();
            slot.RentSite = site;
            Volatile.Write(ref slot.TrackedToken, handle.Token);
        }
    }

    /// <summary>The stack of the rent in progress; taken on the renting thread, before any await loses it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StackTrace CaptureRentSite() => new(skipFrames: 1, fNeedFileInfo: true);

    private ValueTask<TLease> Tracked(ValueTask<TLease> rent, StackTrace site)
    {
        if (rent.IsCompletedSuccessfully)
        {
            TLease lease = rent.Result;
            Track(lease, site);
            return new ValueTask<TLease>(lease);
        }

        return TrackedAsync(rent, site);
    }

    private async ValueTask<TLease> TrackedAsync(ValueTask<TLease> rent, StackTrace site)
    {
        TLease lease = await rent.ConfigureAwait(false);
        Track(lease, site);
        return lease;
    }

    /// <summary>Reports, once each, the tracked leases held longer than the leak threshold.</summary>
    private void ReportLeaks()
    {
        long nowMs = NowMs();
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Volatile.Read(ref _slots))
        {
            if (IsHeldTooLong(slot, nowMs, out long heldMs, out int token) && slot.ReportedToken != token)
            {
                StackTrace? site = slot.RentSite;

                // Re-read the word: if the lease ended while its site was read, the site may belong to the next one.
                if (Volatile.Read(ref slot.Word) != SlotState.Pack(token, SlotState.Leased))
                {
                    continue;
                }

                slot.ReportedToken = token;
                _counters.CountLeakSuspected();
                PoolLog.LeakSuspected(_settings.Logger, Name, heldMs, _settings.LeakThresholdMs, FormatRentSite(site));
            }
        }
    }

    /// <summary>Counts the tracked leases held longer than the leak threshold right now, and the longest hold.</summary>
    private int CountLeasesHeldTooLong(out long longestMs)
    {
        longestMs = 0;
        if (_settings.LeakThresholdMs == 0)
        {
            return 0;
        }

        int count = 0;
        long nowMs = NowMs();
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Volatile.Read(ref _slots))
        {
            if (IsHeldTooLong(slot, nowMs, out long heldMs, out _))
            {
                count++;
                longestMs = Math.Max(longestMs, heldMs);
            }
        }

        return count;
    }

    private bool IsHeldTooLong(PoolSlot<TConnection, TLease, TPolicy> slot, long nowMs, out long heldMs, out int token)
    {
        long word = Volatile.Read(ref slot.Word);
        token = SlotState.TokenOf(word);
        heldMs = 0;
        if (SlotState.StateOf(word) != SlotState.Leased || Volatile.Read(ref slot.TrackedToken) != token)
        {
            return false;
        }

        heldMs = nowMs - slot.LentAtMs;
        return heldMs >= _settings.LeakThresholdMs;
    }

    /// <summary>
    /// Where the leases still out were rented, for the shutdown log: one stack per lease (at most ten), or a hint to turn
    /// leak tracking on, which is what records them.
    /// </summary>
    private string DescribeLeasedRentSites()
    {
        if (_settings.LeakThresholdMs == 0)
        {
            return " Set LeakThresholdMs to log where each lease was rented.";
        }

        var text = new StringBuilder();
        int listed = 0;
        foreach (PoolSlot<TConnection, TLease, TPolicy> slot in Volatile.Read(ref _slots))
        {
            long word = Volatile.Read(ref slot.Word);
            if (SlotState.StateOf(word) != SlotState.Leased || Volatile.Read(ref slot.TrackedToken) != SlotState.TokenOf(word))
            {
                continue;
            }

            if (++listed > 10)
            {
                text.Append(Environment.NewLine).Append("(more leases not listed)");
                break;
            }

            text.Append(Environment.NewLine).Append("A lease rented at:").Append(FormatRentSite(slot.RentSite));
        }

        return text.ToString();
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
