using System;
using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.ResourcePools.Compute;

/// <summary>What became of submitted jobs: run, refused by the queue bound, refused by load shedding, or timed out waiting.</summary>
public sealed class JobTally
{
    private int _submitted;
    private int _completed;
    private int _refusedQueueFull;
    private int _refusedShed;
    private int _timedOut;

    /// <summary>Jobs submitted.</summary>
    public int Submitted => Volatile.Read(ref _submitted);

    /// <summary>Jobs that got a slot and ran.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Jobs refused at once because <c>MaxPendingRents</c> jobs already waited.</summary>
    public int RefusedQueueFull => Volatile.Read(ref _refusedQueueFull);

    /// <summary>Jobs refused at once by <c>ShedLoad</c>: the queue's pace showed their deadline was out of reach.</summary>
    public int RefusedShed => Volatile.Read(ref _refusedShed);

    /// <summary>Jobs that waited their whole timeout and got no slot.</summary>
    public int TimedOut => Volatile.Read(ref _timedOut);

    /// <summary>Whether every submitted job has an outcome.</summary>
    public bool AddsUp => Submitted == Completed + RefusedQueueFull + RefusedShed + TimedOut;

    /// <summary>Submits a job through <paramref name="submit"/> and records its outcome; never throws for an overloaded pool.</summary>
    public async Task TrackAsync(Func<Task> submit)
    {
        Interlocked.Increment(ref _submitted);
        try
        {
            await submit();
            Interlocked.Increment(ref _completed);
        }
        catch (PoolOverloadedException refused) when (refused.MaxPendingRents != 0)
        {
            Interlocked.Increment(ref _refusedQueueFull);
        }
        catch (PoolOverloadedException)
        {
            Interlocked.Increment(ref _refusedShed);
        }
        catch (PoolTimeoutException)
        {
            Interlocked.Increment(ref _timedOut);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Submitted} submitted: {Completed} ran, {RefusedQueueFull} refused (queue full), {RefusedShed} refused (deadline out of reach), {TimedOut} timed out waiting";
}
