namespace PoolGen.Tests.UnderLoad;

/// <summary>The auto-sizer on its own: fast up, slow down, steady under steady load, always within Min and Max.</summary>
public sealed class AutoSizerTests
{
    [Fact]
    public void AStepUpInDemand_IsMetWithHeadroomWithinSeconds()
    {
        var sizer = new AutoSizer();
        long now = Feed(sizer, demand: 2, seconds: 30, startMs: 0);

        int seconds = 0;
        while (sizer.Next(20, min: 0, max: 100, now += 1_000) < 20)
        {
            seconds++;
        }

        Assert.True(seconds <= 1, $"reached the new demand after {seconds} s");
        now = Feed(sizer, demand: 20, seconds: 10, now);
        Assert.Equal(25, sizer.Target);
    }

    [Fact]
    public void AStepDown_ShrinksOnlyAfterAMinuteWellBelow_ThenToTheNewDemandWithHeadroom()
    {
        var sizer = new AutoSizer();
        long now = Feed(sizer, demand: 40, seconds: 30, startMs: 0);
        Assert.Equal(50, sizer.Target);

        now = Feed(sizer, demand: 4, seconds: 60, now);
        Assert.Equal(50, sizer.Target);
        now = Feed(sizer, demand: 4, seconds: 15, now);

        Assert.Equal(5, sizer.Target);
    }

    [Fact]
    public void ASteadyLoadWithNoise_NeverComesDownAndGoesBackUp()
    {
        var sizer = new AutoSizer();
        var random = new Random(7);
        long now = 0;
        var targets = new List<int>();
        for (int second = 0; second < 600; second++)
        {
            int target = sizer.Next(demand: 16 + random.Next(-3, 4), min: 0, max: 100, now += 1_000);
            if (second >= 60)
            {
                targets.Add(target);
            }
        }

        // Demand between 13 and 19: the target may still rise to meet a rare high, but it never drops and climbs again,
        // which is what would close connections only to reopen them.
        Assert.Equal(targets.Order(), targets);
        Assert.InRange(targets[^1], 19, 25);
        Assert.True(targets.Distinct().Count() <= 3, $"targets seen: {string.Join(", ", targets.Distinct())}");
    }

    [Fact]
    public void TheTarget_StaysWithinMinAndMax()
    {
        var sizer = new AutoSizer();

        Assert.Equal(3, sizer.Next(demand: 0, min: 3, max: 10, nowMs: 1_000));
        Assert.Equal(10, sizer.Next(demand: 500, min: 3, max: 10, nowMs: 2_000));
    }

    private static long Feed(AutoSizer sizer, int demand, int seconds, long startMs)
    {
        long now = startMs;
        for (int i = 0; i < seconds; i++)
        {
            sizer.Next(demand, min: 0, max: 100, now += 1_000);
        }

        return now;
    }
}
