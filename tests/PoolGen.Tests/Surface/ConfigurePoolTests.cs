using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Surface;

/// <summary>The generated <c>ConfigurePool</c> hook runs exactly once per pool, however its first uses race.</summary>
public sealed class ConfigurePoolTests
{
    [Fact]
    public async Task ConfigurePool_WhenFirstUsesRace_RunsOnce()
    {
        const int Racers = 8;
        int calls = 0;
        using var start = new Barrier(Racers);
        await using var pool = new FakePool(new FakeDatabase(), options =>
        {
            Interlocked.Increment(ref calls);
            Thread.Sleep(50); // holds the first use open, so that the others arrive while it runs
            options.Name = "raced";
        });

        // A thread each: the barrier blocks them all, which would starve a small thread pool.
        string[] names = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return pool.Stats.Name;
            },
            TaskCreationOptions.LongRunning)));

        Assert.Equal(1, calls);
        Assert.All(names, name => Assert.Equal("raced", name));
    }

    [Fact]
    public void ConfigurePool_WhenItThrows_RunsAgainOnTheNextUse()
    {
        int calls = 0;
        using var pool = new FakePool(new FakeDatabase(), _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("configuration not loaded yet");
            }
        });

        Assert.Throws<InvalidOperationException>(() => pool.Stats);
        Assert.Equal("FakePool", pool.Stats.Name);
        Assert.Equal(2, calls);
    }
}
