using System.Collections.Concurrent;

namespace PoolGen.Tests.Fakes;

/// <summary>Opens <see cref="FakeConnection"/>s and can be told to fail or to be slow.</summary>
public sealed class FakeDatabase
{
    private int _nextId;

    public ConcurrentBag<FakeConnection> Opened { get; } = new();

    /// <summary>When set, every open throws this.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>How many of the next opens fail with a transient error before opens succeed again.</summary>
    public int TransientFailures;

    /// <summary>When set, opens wait for it (an async open awaits it; a sync open blocks on it).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>
    /// When set, an async open waits for <see cref="Gate"/> without looking at its token, like a driver stuck in a
    /// connect it cannot abandon.
    /// </summary>
    public bool IgnoresCancellation { get; set; }

    /// <summary>When set, opens return null instead of a connection, as a buggy factory might.</summary>
    public bool ReturnsNull { get; set; }

    private int _inFlight;

    /// <summary>The most opens that were in progress at the same time.</summary>
    public int MaxInFlight;

    public int OpenCount => Opened.Count;

    public int OpenNow => Opened.Count(c => !c.IsDisposed);

    public FakeConnection Open()
    {
        Gate?.Task.GetAwaiter().GetResult();
        return OpenNoWait();
    }

    public async ValueTask<FakeConnection> OpenAsync(CancellationToken cancellationToken)
    {
        int inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref MaxInFlight, inFlight);
        try
        {
            if (Gate is { } gate)
            {
                await (IgnoresCancellation ? gate.Task : gate.Task.WaitAsync(cancellationToken));
            }

            return OpenNoWait();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private FakeConnection OpenNoWait()
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        if (Interlocked.Decrement(ref TransientFailures) >= 0)
        {
            throw new TimeoutException("the database did not answer in time");
        }

        if (ReturnsNull)
        {
            return null!;
        }

        var connection = new FakeConnection(Interlocked.Increment(ref _nextId));
        Opened.Add(connection);
        return connection;
    }
}
