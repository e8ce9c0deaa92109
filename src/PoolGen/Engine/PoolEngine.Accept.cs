using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen;

public sealed partial class PoolEngine<TConnection, TLease, TPolicy>
{
    /// <summary>
    /// Whether a connection just taken from the idle set may be lent as it is: of the current generation, needing no
    /// validation, and not closed under the pool (the IsBroken check is a property read, so it runs on every rent:
    /// a connection the provider has closed is never lent, however recently it was used).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsReadyToLend(PoolSlot<TConnection, TLease, TPolicy> slot) =>
        slot.Generation == _table.Generation
        && !NeedsValidation(slot)
        && !(_policy.HasIsBroken && IsBroken(slot.Connection!));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NeedsValidation(PoolSlot<TConnection, TLease, TPolicy> slot) =>
        _settings.ValidateOnRent && NowMs() - slot.LastUsedMs >= _settings.ValidateAfterIdleMs;

    /// <summary>
    /// Decides whether a connection just taken from the idle set may be lent; a stale, broken or invalid one is closed.
    /// An asynchronous validator is bounded by <paramref name="deadlineMs"/>, the rent's deadline.
    /// </summary>
    private Check AcceptIdle(PoolSlot<TConnection, TLease, TPolicy> slot, int token, long deadlineMs)
    {
        if (ReasonToRefuse(slot) is { } refused)
        {
            Retire(slot, token, SlotState.Leased, refused);
            return Check.Unusable;
        }

        if (!NeedsValidation(slot))
        {
            return Check.Usable;
        }

        Check check = ValidateNow(slot.Connection!, deadlineMs);
        if (check == Check.Usable)
        {
            slot.LastUsedMs = NowMs();
            return check;
        }

        // An interrupted check leaves the connection in an unknown state, perhaps with the validator still running on
        // it: closing it is the only safe answer.
        Retire(slot, token, SlotState.Leased, CloseReason.Validation);
        return check;
    }

    /// <inheritdoc cref="AcceptIdle"/>
    /// <remarks>Also ends at <paramref name="cancellationToken"/>.</remarks>
    private async ValueTask<Check> AcceptIdleAsync(
        PoolSlot<TConnection, TLease, TPolicy> slot, int token, long deadlineMs, CancellationToken cancellationToken)
    {
        if (ReasonToRefuse(slot) is { } refused)
        {
            await RetireAsync(slot, token, SlotState.Leased, refused).ConfigureAwait(false);
            return Check.Unusable;
        }

        if (!NeedsValidation(slot))
        {
            return Check.Usable;
        }

        Check check = await ValidateAsync(slot.Connection!, deadlineMs, cancellationToken).ConfigureAwait(false);
        if (check == Check.Usable)
        {
            slot.LastUsedMs = NowMs();
            return check;
        }

        await RetireAsync(slot, token, SlotState.Leased, CloseReason.Validation).ConfigureAwait(false);
        return check;
    }

    /// <summary>Why a taken connection may not be lent (it is from before the last Clear, or broken), or null; a broken one is counted.</summary>
    private CloseReason? ReasonToRefuse(PoolSlot<TConnection, TLease, TPolicy> slot)
    {
        if (slot.Generation != _table.Generation)
        {
            return CloseReason.Clear;
        }

        if (_policy.HasIsBroken && IsBroken(slot.Connection!))
        {
            _counters.CountBroken();
            return CloseReason.Broken;
        }

        return null;
    }
}
