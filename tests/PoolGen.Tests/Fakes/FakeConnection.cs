namespace PoolGen.Tests.Fakes;

/// <summary>A connection-like object that records what the pool and its users do with it.</summary>
public sealed class FakeConnection : IDisposable
{
    private int _holders;

    public FakeConnection(int id) => Id = id;

    public int Id { get; }

    public bool IsDisposed => Volatile.Read(ref CloseCount) > 0;

    /// <summary>How often the connection was closed; the pool must close each connection exactly once.</summary>
    public int CloseCount;

    /// <summary>Set by a test to make the validator reject this connection.</summary>
    public bool Broken { get; set; }

    /// <summary>
    /// Set by a test to make a round trip fail while the connection's state still looks open, as after a server killed
    /// its session: validators see it, IsBroken checks do not.
    /// </summary>
    public bool Unresponsive { get; set; }

    public int Resets;

    /// <summary>Marks the start of a use; returns how many users hold the connection now (1 unless the pool double-lends).</summary>
    public int Enter() => Interlocked.Increment(ref _holders);

    public void Exit() => Interlocked.Decrement(ref _holders);

    public void Dispose() => Interlocked.Increment(ref CloseCount);
}
