using System;

namespace PoolGen.ResourcePools.Buffers;

/// <summary>
/// One large block of memory lent by <see cref="BufferPool"/>: the pool's "connection". It remembers how far it has
/// been written, so that scrubbing it for the next tenant clears only what was used.
/// </summary>
public sealed class LargeBuffer
{
    private readonly byte[] _bytes;
    private int _written;

    /// <summary>Allocates a buffer of <paramref name="sizeBytes"/> bytes, zeroed.</summary>
    public LargeBuffer(int sizeBytes, int id)
    {
        _bytes = new byte[sizeBytes];
        Id = id;
    }

    /// <summary>Which buffer this is, in the order the pool allocated them (from 1).</summary>
    public int Id { get; }

    /// <summary>The buffer's size in bytes.</summary>
    public int SizeBytes => _bytes.Length;

    /// <summary>How many bytes from the start have been handed out for writing since the buffer was last scrubbed.</summary>
    public int WrittenBytes => _written;

    /// <summary>
    /// The first <paramref name="lengthBytes"/> bytes, to write into. Whatever is asked for is remembered, so the
    /// pool's reset clears it before another operation gets the buffer.
    /// </summary>
    public Span<byte> Take(int lengthBytes)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lengthBytes, _bytes.Length);
        _written = Math.Max(_written, lengthBytes);
        return _bytes.AsSpan(0, lengthBytes);
    }

    /// <summary>The whole buffer, read-only: what the next tenant would see.</summary>
    public ReadOnlySpan<byte> Contents => _bytes;

    /// <summary>
    /// Zeroes what was written. Another operation's data must never leak into the next one (a buffer that held one
    /// customer's export must not show it to the next), and clearing only the written part keeps a small use cheap.
    /// </summary>
    public void Scrub()
    {
        _bytes.AsSpan(0, _written).Clear();
        _written = 0;
    }
}
