namespace PoolGen.Tests.Engine.Parts;

/// <summary>The pool's counters on their own: each event moves its own counter, and none is lost under contention.</summary>
public sealed class PoolCountersTests
{
    /// <summary>Each counter's name, how to count it, and how to read it.</summary>
    private static readonly (string Name, Action<PoolCounters> Count, Func<PoolCounters, long> Read)[] s_counters =
    [
        ("Created", c => c.CountCreated(), c => c.Created),
        ("Closed", c => c.CountClosed(CloseReason.Idle), c => c.Closed),
        ("CreateFailures", c => c.CountCreateFailure(), c => c.CreateFailures),
        ("ValidationFailures", c => c.CountValidationFailure(), c => c.ValidationFailures),
        ("ResetFailures", c => c.CountResetFailure(), c => c.ResetFailures),
        ("Timeouts", c => c.CountTimeout(), c => c.Timeouts),
        ("Cancellations", c => c.CountCancellation(), c => c.Cancellations),
        ("Waits", c => c.CountWait(), c => c.Waits),
        ("StaleDisposals", c => c.CountStaleDisposal(), c => c.StaleDisposals),
        ("Broken", c => c.CountBroken(), c => c.Broken),
        ("LeaksSuspected", c => c.CountLeakSuspected(), c => c.LeaksSuspected),
        ("UserCodeErrors", c => c.CountUserCodeError(), c => c.UserCodeErrors),
    ];

    public static TheoryData<string> CounterNames => new(s_counters.Select(counter => counter.Name));

    [Fact]
    public void NewCounters_AreAllZero()
    {
        var counters = new PoolCounters();

        Assert.All(s_counters, counter => Assert.Equal(0, counter.Read(counters)));
    }

    [Theory]
    [MemberData(nameof(CounterNames))]
    public void Count_MovesItsOwnCounterAndNoOther(string name)
    {
        var counters = new PoolCounters();
        var counted = s_counters.Single(counter => counter.Name == name);

        counted.Count(counters);
        counted.Count(counters);

        Assert.Equal(
            s_counters.ToDictionary(counter => counter.Name, counter => counter.Name == name ? 2L : 0L),
            s_counters.ToDictionary(counter => counter.Name, counter => counter.Read(counters)));
    }

    [Fact]
    public void Count_FromManyThreadsAtOnce_LosesNothing()
    {
        const int Threads = 4, PerThread = 10_000;
        var counters = new PoolCounters();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                counters.CountCreated();
                counters.CountClosed((CloseReason)(i % CloseReasons.Count));
            }
        })).ToList();

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Equal((Threads * PerThread, Threads * PerThread), (counters.Created, counters.Closed));
        long perReason = Enumerable.Range(0, CloseReasons.Count).Sum(r => counters.ClosedFor((CloseReason)r));
        Assert.Equal(counters.Closed, perReason);
    }

    [Fact]
    public void CountClosed_CountsEachReasonOnItsOwnAndInTheTotal()
    {
        var counters = new PoolCounters();

        counters.CountClosed(CloseReason.Lifetime);
        counters.CountClosed(CloseReason.Lifetime);
        counters.CountClosed(CloseReason.Shutdown);

        Assert.Equal(2, counters.ClosedFor(CloseReason.Lifetime));
        Assert.Equal(1, counters.ClosedFor(CloseReason.Shutdown));
        Assert.Equal(0, counters.ClosedFor(CloseReason.Idle));
        Assert.Equal(3, counters.Closed);
    }
}
