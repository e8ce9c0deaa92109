namespace PoolGen.Benchmarks;

/// <summary>A connection that costs nothing to use, so the benchmarks measure only the pools.</summary>
public sealed class FakeConnection
{
    /// <summary>Whether the connection is usable; the validator reads it.</summary>
    public bool IsOpen { get; set; } = true;
}
