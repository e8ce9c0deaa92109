namespace PoolGen;

/// <summary>
/// What the observable metrics read from a pool when a listener asks, and only then: nothing here is computed on a
/// rent or a return.
/// </summary>
internal interface IPoolReadings
{
    /// <summary>The pool's counters.</summary>
    PoolCounters Counters { get; }

    /// <summary>Counts the open connections that are idle and those in use (leased, or held by the pool to check or close).</summary>
    void CountConnections(out int idle, out int used);

    /// <summary>Rents waiting for a connection.</summary>
    int Pending { get; }

    /// <summary>The pool's Min now.</summary>
    int Min { get; }

    /// <summary>The pool's Max now.</summary>
    int Max { get; }

    /// <summary>Rents served since the pool started.</summary>
    long Rents { get; }
}
