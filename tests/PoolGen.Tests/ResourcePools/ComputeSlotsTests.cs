using System.Diagnostics;
using PoolGen.ResourcePools.Compute;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.ResourcePools;

/// <summary>
/// The sample's compute slots: no more jobs run at once than there are slots, waiting jobs start by priority, and an
/// overloaded pool refuses jobs at once (beyond MaxPendingRents, and by ShedLoad), every refusal counted and no lease lost.
/// </summary>
public sealed class ComputeSlotsTests
{
    [Fact]
    public async Task ManyConcurrentJobs_NeverRunMoreAtOnceThanThereAreSlots()
    {
        await using var slots = new ComputeSlots(degree: 3, maxPendingJobs: 0, shedLoad: false);
        int running = 0, mostRunning = 0;

        int[] results = await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(_ => Enumerable.Range(0, 25)).Select(i =>
            Task.Run(() => slots.RunAsync(
                () =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref mostRunning, now);
                    Thread.SpinWait(2_000);
                    Interlocked.Decrement(ref running);
                    return i;
                },
                (PoolPriority)(i % 4),
                TimeSpan.FromSeconds(30)))));

        Assert.Equal(200, results.Length);
        Assert.InRange(mostRunning, 1, 3);
        Assert.InRange(slots.SlotsCreated, 1, 3);
        Assert.Equal((200L, 0, 0L), (slots.Stats.Rents, slots.Stats.Leased, slots.Stats.Shed));
    }

    [Fact]
    public async Task JobsWaitingForASlot_StartHighestPriorityFirst()
    {
        await using var slots = new ComputeSlots(degree: 1, maxPendingJobs: 0, shedLoad: false);
        var gate = new ManualResetEventSlim();
        Task blocker = slots.RunAsync(() => gate.Wait(Timeout.Infinite), PoolPriority.Normal, TimeSpan.FromSeconds(30));
        await Eventually.True(() => slots.Stats.Leased == 1);
        var started = new List<PoolPriority>();
        var jobs = new List<Task>();
        foreach (PoolPriority priority in new[] { PoolPriority.Low, PoolPriority.Normal, PoolPriority.Critical, PoolPriority.High, PoolPriority.Low })
        {
            jobs.Add(slots.RunAsync(() => Record(started, priority), priority, TimeSpan.FromSeconds(30)));
            await Eventually.True(() => slots.Stats.Pending == jobs.Count);
        }

        gate.Set();
        await Task.WhenAll(jobs.Append(blocker)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([PoolPriority.Critical, PoolPriority.High, PoolPriority.Normal, PoolPriority.Low, PoolPriority.Low], started);
    }

    [Fact]
    public async Task ABurstBeyondMaxPendingRents_IsRefusedAtOnce_AndEveryRefusalIsCounted()
    {
        await using var slots = new ComputeSlots(degree: 2, maxPendingJobs: 4, shedLoad: false);
        var gate = new ManualResetEventSlim();
        var tally = new JobTally();
        Task[] running = [tally.TrackAsync(() => slots.RunAsync(() => gate.Wait(Timeout.Infinite), PoolPriority.Normal, TimeSpan.FromSeconds(30))),
                          tally.TrackAsync(() => slots.RunAsync(() => gate.Wait(Timeout.Infinite), PoolPriority.Normal, TimeSpan.FromSeconds(30)))];
        await Eventually.True(() => slots.Stats.Leased == 2);

        var burst = Enumerable.Range(0, 10).Select(_ => slots.RunAsync(() => 1, PoolPriority.High, TimeSpan.FromSeconds(30))).ToList();

        // A refusal is thrown inside the call: its task has failed before the caller could await it.
        List<Task<int>> refused = burst.Where(job => job.IsFaulted).ToList();
        Assert.Equal(6, refused.Count);
        Assert.All(refused, job => Assert.Equal(4, Assert.IsType<PoolOverloadedException>(job.Exception!.InnerException).MaxPendingRents));
        Assert.Equal((6L, 4), (slots.Stats.Shed, slots.Stats.Pending));

        gate.Set();
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10));
        int[] served = await Task.WhenAll(burst.Except(refused)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, served.Length);
        Assert.Equal((2, 0, 0L), (tally.Completed, slots.Stats.Leased, slots.Stats.Timeouts));
    }

    [Fact]
    public async Task UnderSustainedOverload_ShedLoadRefusesJobsAtOnce_AndEveryOutcomeIsCounted()
    {
        await using var slots = new ComputeSlots(degree: 2, maxPendingJobs: 0, shedLoad: true);
        var tally = new JobTally();
        var jobs = new List<Task>();
        int refusedInsideTheCall = 0;

        // Two slots, jobs of 5 ms: about 400 a second can run; 1,600 a second arrive, each willing to wait 50 ms.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            for (int due = (int)(clock.Elapsed.TotalSeconds * 1_600); jobs.Count < due;)
            {
                Task<int> job = slots.RunAsync(() => { Thread.Sleep(5); return 1; }, PoolPriority.Normal, TimeSpan.FromMilliseconds(50));
                if (job.IsFaulted && job.Exception!.InnerException is PoolOverloadedException)
                {
                    refusedInsideTheCall++;
                }

                jobs.Add(tally.TrackAsync(() => job));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(jobs).WaitAsync(TimeSpan.FromSeconds(30));

        PoolStats stats = slots.Stats;
        Assert.True(tally.AddsUp, tally.ToString());
        Assert.True(tally.RefusedShed > 0, tally.ToString());
        Assert.True(tally.Completed > 0, tally.ToString());
        Assert.Equal(tally.RefusedShed, refusedInsideTheCall);
        Assert.Equal((tally.RefusedShed, tally.TimedOut, tally.Completed), ((int)stats.Shed, (int)stats.Timeouts, (int)stats.Rents));
        Assert.Equal(0, stats.Leased);
    }

    private static int Record(List<PoolPriority> started, PoolPriority priority)
    {
        lock (started)
        {
            started.Add(priority);
        }

        return 0;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
