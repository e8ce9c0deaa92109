namespace PoolGen.Benchmarks;

/// <summary>A connection that costs nothing to use, so the benchmarks measure only the pools.</summary>
public sealed class FakeConnection
{
    /// <summary>Whether the connection is usable; the validator reads it.</summary>
    public bool IsOpen { get; set; } = true;

    /// <summary>The port of the fake endpoint it was opened on, for multi-host pools' role checks.</summary>
    public int Port { get; init; }

    /// <summary>The items of a pool that holds all of its connections from the start.</summary>
    public static FakeConnection[] CreateMany(int count)
    {
        var connections = new FakeConnection[count];
        for (int i = 0; i < count; i++)
        {
            connections[i] = new FakeConnection();
        }

        return connections;
    }
}
