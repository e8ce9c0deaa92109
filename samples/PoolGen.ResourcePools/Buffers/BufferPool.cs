using System.Threading;

namespace PoolGen.ResourcePools.Buffers;

/// <summary>
/// A bounded pool of large buffers for big operations (exports, image batches, compression). Unlike
/// <c>ArrayPool&lt;byte&gt;.Shared</c>, which allocates a new array whenever its buckets are empty, this pool never
/// holds more than <c>Max</c> buffers: a rent beyond that waits, highest priority first, so memory stays bounded at
/// <c>Max × size</c> however many operations arrive at once.
/// </summary>
/// <remarks>
/// Buffers above <c>Min</c> (none by default) that sit unused for <c>IdleTimeoutMs</c> are dropped and go back to the
/// garbage collector, so a burst's memory does not stay forever. A waiting rent rises one priority level per
/// <c>PriorityAgingMs</c>: a user-facing High rent overtakes Low batch work that started less than 4 s before it.
/// </remarks>
[ConnectionPool(Max = 4, AcquireTimeoutMs = 30_000, IdleTimeoutMs = 60_000, PriorityAgingMs = 2_000,
    Reset = nameof(Scrub), Close = nameof(Release))]
public sealed partial class BufferPool
{
    /// <summary>The buffer size when none is given: 1 MiB.</summary>
    public const int DefaultBufferBytes = 1 << 20;

    private readonly int _maxBuffers;
    private int _allocated;
    private int _live;
    private int _peakLive;

    /// <summary>Creates a pool of at most <paramref name="maxBuffers"/> buffers of <paramref name="bufferBytes"/> bytes each.</summary>
    public BufferPool(int maxBuffers, int bufferBytes = DefaultBufferBytes)
    {
        _maxBuffers = maxBuffers;
        BufferBytes = bufferBytes;
    }

    /// <summary>The size of each buffer, in bytes.</summary>
    public int BufferBytes { get; }

    /// <summary>The most memory the pool's buffers can take, in bytes: <c>Max × BufferBytes</c>.</summary>
    public long MemoryBoundBytes => (long)_maxBuffers * BufferBytes;

    /// <summary>Buffers allocated and not yet released by the pool, leased or idle.</summary>
    public int LiveBuffers => Volatile.Read(ref _live);

    /// <summary>The most buffers that were ever alive at once.</summary>
    public int PeakLiveBuffers => Volatile.Read(ref _peakLive);

    /// <summary>Buffers allocated over the pool's life.</summary>
    public int AllocatedBuffers => Volatile.Read(ref _allocated);

    partial void ConfigurePool(PoolOptions options) => options.Max = _maxBuffers;

    // The factory: the only place a buffer is allocated, so counting here proves the bound.
    private LargeBuffer Create()
    {
        int live = Interlocked.Increment(ref _live);
        int peak;
        while (live > (peak = Volatile.Read(ref _peakLive)) && Interlocked.CompareExchange(ref _peakLive, live, peak) != peak)
        {
        }

        return new LargeBuffer(BufferBytes, Interlocked.Increment(ref _allocated));
    }

    // Runs on every return, before the buffer is lent again.
    private static void Scrub(LargeBuffer buffer) => buffer.Scrub();

    // The pool retires a buffer (idle too long, or the pool is disposed): dropping the reference is all it takes.
    private void Release(LargeBuffer buffer) => Interlocked.Decrement(ref _live);
}
