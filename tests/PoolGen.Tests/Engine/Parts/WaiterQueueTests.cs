using PoolGen.Tests.Fakes;
using Queue = PoolGen.WaiterQueue<PoolGen.Tests.Fakes.FakeConnection, PoolGen.Tests.Fakes.FakePool.Lease, PoolGen.Tests.Fakes.FakePool.ConnectionPoolPolicy>;
using Waiter = PoolGen.PoolWaiter<PoolGen.Tests.Fakes.FakeConnection, PoolGen.Tests.Fakes.FakePool.Lease, PoolGen.Tests.Fakes.FakePool.ConnectionPoolPolicy>;

namespace PoolGen.Tests.Engine.Parts;

/// <summary>
/// The waiter queue on its own: first in, first out, a waiter put back at the head, removal, emptying, and the stack of
/// recycled waiters. Single-threaded, so the "locked" methods are called without the lock the engine holds for them.
/// </summary>
public sealed class WaiterQueueTests
{
    [Fact]
    public void Oldest_IsTheFirstEnqueuedWaiter_AndTheNextOneOnceItIsRemoved()
    {
        var queue = new Queue();
        Waiter first = NewWaiter(startMs: 1), second = NewWaiter(startMs: 2), third = NewWaiter(startMs: 3);
        queue.Enqueue(first);
        queue.Enqueue(second);
        queue.Enqueue(third);

        Assert.Same(first, queue.Oldest);
        queue.Remove(first);
        Assert.Same(second, queue.Oldest);
        queue.Remove(second);
        Assert.Same(third, queue.Oldest);
        queue.Remove(third);
        Assert.Null(queue.Oldest);
    }

    [Fact]
    public void Enqueue_OrdersByVirtualStart_HigherPriorityAheadWithinItsAgingWindow()
    {
        var queue = new Queue();
        Waiter low = NewWaiter(startMs: 0, PoolPriority.Low);
        Waiter normal = NewWaiter(startMs: 100, PoolPriority.Normal);
        // Critical is 3 levels above Low (ahead of it within 3 s) but 2 above Normal (ahead of it within 2 s only).
        Waiter criticalSoon = NewWaiter(startMs: 2_500, PoolPriority.Critical);

        // High is 2 levels above Low and 1 above Normal: 2.5 s is too late to pass either.
        Waiter highLate = NewWaiter(startMs: 2_500, PoolPriority.High);
        foreach (Waiter waiter in new[] { low, normal, criticalSoon, highLate })
        {
            Assert.Equal(queue.Count, queue.CountAhead(waiter) + CountBehind(queue, waiter));
            queue.Enqueue(waiter);
        }

        Assert.Equal([normal, criticalSoon, low, highLate], Chain(queue.Oldest));
    }

    [Fact]
    public void CountAhead_CountsTheWaitersThatWouldBeServedFirst()
    {
        var queue = new Queue();
        queue.Enqueue(NewWaiter(startMs: 0));
        queue.Enqueue(NewWaiter(startMs: 10));
        queue.Enqueue(NewWaiter(startMs: 20, PoolPriority.Low));

        // A Normal rent goes ahead of the Low one that started 10 ms before it (one level, within 1 s).
        Assert.Equal(2, queue.CountAhead(NewWaiter(startMs: 30)));
        Assert.Equal(3, queue.CountAhead(NewWaiter(startMs: 30, PoolPriority.Normal, agingMs: 5)));
        Assert.Equal(0, queue.CountAhead(NewWaiter(startMs: 30, PoolPriority.Critical)));
    }

    [Fact]
    public void Remove_FromTheMiddle_KeepsTheOthersInOrder()
    {
        var queue = new Queue();
        Waiter first = NewWaiter(), second = NewWaiter(), third = NewWaiter();
        queue.Enqueue(first);
        queue.Enqueue(second);
        queue.Enqueue(third);

        queue.Remove(second);

        Assert.Equal([first, third], Chain(queue.Oldest));
        Assert.False(second.Queued);
        Assert.Null(second.Next);
        Assert.Null(second.Previous);

        queue.Remove(third);
        queue.Enqueue(second);
        Assert.Equal([first, second], Chain(queue.Oldest));
    }

    [Fact]
    public void Enqueue_First_PutsTheWaiterBackAtTheHead()
    {
        var queue = new Queue();
        Waiter kept = NewWaiter(), second = NewWaiter(), third = NewWaiter();
        queue.Enqueue(kept);
        queue.Enqueue(second);
        queue.Enqueue(third);
        queue.Remove(kept);

        queue.Enqueue(kept, first: true);

        Assert.Same(kept, queue.Oldest);
        Assert.True(kept.Queued);
        Assert.Equal([kept, second, third], Chain(queue.Oldest));
        Assert.Same(kept, second.Previous);
    }

    [Fact]
    public void Enqueue_FirstIntoAnEmptyQueue_MakesTheWaiterHeadAndTail()
    {
        var queue = new Queue();
        Waiter kept = NewWaiter(), later = NewWaiter();

        queue.Enqueue(kept, first: true);
        queue.Enqueue(later);

        Assert.Equal([kept, later], Chain(queue.Oldest));
    }

    [Fact]
    public void TryRemove_OfAQueuedWaiter_RemovesIt()
    {
        var queue = new Queue();
        Waiter waiter = NewWaiter();
        queue.Enqueue(waiter);

        Assert.True(queue.TryRemove(waiter));

        Assert.False(waiter.Queued);
        Assert.Null(queue.Oldest);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void TryRemove_OfAWaiterNoLongerQueued_ReturnsFalseAndLeavesTheQueueAlone()
    {
        var queue = new Queue();
        Waiter removed = NewWaiter(), other = NewWaiter();
        queue.Enqueue(removed);
        queue.Enqueue(other);
        Assert.True(queue.TryRemove(removed));

        Assert.False(queue.TryRemove(removed));
        Assert.False(queue.TryRemove(NewWaiter()));

        Assert.Equal(1, queue.Count);
        Assert.Equal([other], Chain(queue.Oldest));
    }

    [Fact]
    public void Count_FollowsEveryEnqueueAndRemoval()
    {
        var queue = new Queue();
        Waiter a = NewWaiter(), b = NewWaiter(), c = NewWaiter(), d = NewWaiter();
        Assert.Equal(0, queue.Count);

        queue.Enqueue(a);
        Assert.Equal(1, queue.Count);
        queue.Enqueue(b);
        Assert.Equal(2, queue.Count);
        queue.Enqueue(c, first: true);
        Assert.Equal(3, queue.Count);
        queue.Remove(b);
        Assert.Equal(2, queue.Count);
        Assert.True(queue.TryRemove(c));
        Assert.Equal(1, queue.Count);
        Assert.False(queue.TryRemove(c));
        Assert.Equal(1, queue.Count);
        queue.Enqueue(b);
        queue.Enqueue(d);
        Assert.Equal(3, queue.Count);
        queue.RemoveAll();
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RemoveAll_EmptiesTheQueueAndReturnsTheChainInOrderWithEveryWaiterMarkedNotQueued()
    {
        var queue = new Queue();
        Waiter first = NewWaiter(), second = NewWaiter(), third = NewWaiter();
        queue.Enqueue(second);
        queue.Enqueue(third);
        queue.Enqueue(first, first: true);

        Waiter? chain = queue.RemoveAll();

        Assert.Equal([first, second, third], Chain(chain));
        Assert.All([first, second, third], waiter => Assert.False(waiter.Queued));
        Assert.Null(queue.Oldest);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.OldestStartMs());
        Assert.False(queue.TryRemove(second));
    }

    [Fact]
    public void RemoveAll_OnAnEmptyQueue_ReturnsNull()
    {
        var queue = new Queue();

        Assert.Null(queue.RemoveAll());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Enqueue_AfterRemoveAll_StartsAFreshQueue()
    {
        var queue = new Queue();
        Waiter old = NewWaiter(), fresh = NewWaiter();
        queue.Enqueue(old);
        queue.RemoveAll();

        queue.Enqueue(fresh);

        Assert.Equal([fresh], Chain(queue.Oldest));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void PopRecycled_ReturnsThePushedWaitersLastInFirstOut_ThenNull()
    {
        var queue = new Queue();
        Waiter a = NewWaiter(), b = NewWaiter(), c = NewWaiter();
        queue.PushRecycled(a);
        queue.PushRecycled(b);
        queue.PushRecycled(c);

        Assert.Same(c, queue.PopRecycled());
        Assert.Same(b, queue.PopRecycled());

        queue.PushRecycled(c);
        Assert.Same(c, queue.PopRecycled());
        Assert.Null(c.Next);
        Assert.Same(a, queue.PopRecycled());
        Assert.Null(queue.PopRecycled());
    }

    [Fact]
    public void PopRecycled_OnAnEmptyStack_ReturnsNull()
    {
        var queue = new Queue();

        Assert.Null(queue.PopRecycled());
    }

    [Fact]
    public void RecycledWaiters_AreNotQueued()
    {
        var queue = new Queue();
        queue.PushRecycled(NewWaiter());

        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Oldest);
        Assert.Null(queue.OldestStartMs());
    }

    [Fact]
    public void OldestStartMs_IsNullWhenEmpty_AndTheHeadsStartOtherwise()
    {
        var queue = new Queue();
        Waiter early = NewWaiter(startMs: 100), late = NewWaiter(startMs: 250), kept = NewWaiter(startMs: 400);
        Assert.Null(queue.OldestStartMs());

        queue.Enqueue(early);
        queue.Enqueue(late);
        Assert.Equal(100, queue.OldestStartMs());

        queue.Remove(early);
        Assert.Equal(250, queue.OldestStartMs());

        // A waiter put back at the head is the oldest, whenever it started.
        queue.Enqueue(kept, first: true);
        Assert.Equal(400, queue.OldestStartMs());

        queue.RemoveAll();
        Assert.Null(queue.OldestStartMs());
    }

    /// <summary>The engine waiters belong to; the queue itself never calls it.</summary>
    private static readonly PoolEngine<FakeConnection, FakePool.Lease, FakePool.ConnectionPoolPolicy> s_owner =
        new(new PoolOptions(nameof(WaiterQueueTests)), new FakePool.ConnectionPoolPolicy(new FakePool(new FakeDatabase())));

    private static Waiter NewWaiter(long startMs = 0, PoolPriority priority = PoolPriority.Normal, int agingMs = 1_000)
    {
        var waiter = new Waiter(s_owner);
        waiter.Prepare(isAsync: true, startMs, deadlineMs: long.MaxValue, CancellationToken.None, priority, agingMs);
        return waiter;
    }

    private static int CountBehind(Queue queue, Waiter waiter) =>
        Chain(queue.Oldest).Count(other => other.VirtualStartMs > waiter.VirtualStartMs);

    /// <summary>The waiters linked from <paramref name="head"/> through Next, checking each back link on the way.</summary>
    private static List<Waiter> Chain(Waiter? head)
    {
        var chain = new List<Waiter>();
        Waiter? previous = null;
        for (Waiter? waiter = head; waiter is not null; waiter = waiter.Next)
        {
            Assert.Same(previous, waiter.Previous);
            chain.Add(waiter);
            previous = waiter;
        }

        return chain;
    }
}
