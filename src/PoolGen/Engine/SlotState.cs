namespace PoolGen;

/// <summary>
/// What a slot holds. A slot's state and its lease token share one 64-bit word (state in the low half, token in the
/// high half) so that one compare-and-swap both checks that a lease is current and moves the slot on.
/// </summary>
internal static class SlotState
{
    /// <summary>No connection; free for a new one.</summary>
    public const int Empty = 0;

    /// <summary>An open connection that any rent may take.</summary>
    public const int Idle = 1;

    /// <summary>Held by the lease whose token is in the word's high half.</summary>
    public const int Leased = 2;

    /// <summary>Owned by the engine for a moment: being opened, validated, reset or closed.</summary>
    public const int Busy = 3;

    public static long Pack(int token, int state) => ((long)token << 32) | (uint)state;

    public static int StateOf(long word) => (int)word;

    public static int TokenOf(long word) => (int)(word >> 32);
}
