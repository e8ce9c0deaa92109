using System.Collections.Concurrent;
using System.Diagnostics;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Observability;

/// <summary>
/// The <c>PoolGen</c> activity source, read by a real <see cref="ActivityListener"/>: spans for waits, opens and
/// validations, none for a rent served at once. Each test names its pool uniquely and keeps only that pool's spans,
/// since a listener hears every source in the process.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private readonly string _pool = "Traced" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "PoolGen",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.client.connection.pool.name"), _pool))
                {
                    _stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ARentThatOpens_IsAWaitSpanWithTheOpenAsItsChild()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => o.Name = _pool);

        (await pool.RentAsync()).Dispose();

        Activity wait = Assert.Single(_stopped, a => a.OperationName == "poolgen.rent.wait");
        Activity open = Assert.Single(_stopped, a => a.OperationName == "poolgen.connection.open");
        Assert.Equal(wait.SpanId, open.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, wait.Status);
        Assert.Equal(ActivityKind.Internal, wait.Kind);
        Assert.Equal("PoolGen", wait.Source.Name);
    }

    [Fact]
    public void ARentServedAtOnce_HasNoSpan()
    {
        using var pool = new FakePool(new FakeDatabase(), o => o.Name = _pool);
        pool.Rent().Dispose();
        int afterFirst = _stopped.Count;

        pool.Rent().Dispose();

        Assert.Equal(afterFirst, _stopped.Count);
    }

    [Fact]
    public void AFailedOpen_RecordsTheErrorOnItsSpanAndOnTheWait()
    {
        var database = new FakeDatabase { FailWith = new InvalidOperationException("the database is down") };
        using var pool = new FakePool(database, o => { o.Name = _pool; o.MaxRetryAttempts = 1; o.RetryDelayMs = 0; });

        Assert.Throws<PoolConnectionException>(() => pool.Rent());

        Activity[] opens = _stopped.Where(a => a.OperationName == "poolgen.connection.open").ToArray();
        Assert.Equal(2, opens.Length);
        Assert.All(opens, open =>
        {
            Assert.Equal(ActivityStatusCode.Error, open.Status);
            Assert.Equal("the database is down", open.StatusDescription);
            Assert.Equal(typeof(InvalidOperationException).FullName, open.GetTagItem("error.type"));
            ActivityEvent exception = Assert.Single(open.Events);
            Assert.Equal("exception", exception.Name);
            Assert.Contains(exception.Tags, t => t.Key == "exception.message" && Equals(t.Value, "the database is down"));
        });
        Activity wait = Assert.Single(_stopped, a => a.OperationName == "poolgen.rent.wait");
        Assert.Equal(ActivityStatusCode.Error, wait.Status);
        Assert.Equal(typeof(PoolConnectionException).FullName, wait.GetTagItem("error.type"));
    }

    [Fact]
    public async Task AValidation_IsASpan_FailedWhenTheConnectionIsUnusable()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var database = new FakeDatabase();
        await using var pool = new FakePool(database, o => { o.Name = _pool; o.TimeProvider = time; o.ShutdownTimeoutMs = 0; });
        FakePool.Lease lease = pool.Rent();
        lease.Connection.Broken = true;
        lease.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));

        pool.Rent().Dispose(); // validates the idle connection, which fails, then opens another

        Activity validation = Assert.Single(_stopped, a => a.OperationName == "poolgen.connection.validate");
        Assert.Equal(ActivityStatusCode.Error, validation.Status);
        Assert.Equal("invalid", validation.GetTagItem("error.type"));
    }

    [Fact]
    public async Task AWaitThatTimesOut_EndsItsSpanWithTheTimeout()
    {
        await using var pool = new AsyncFakePool(new FakeDatabase(), o => { o.Name = _pool; o.Max = 1; o.ShutdownTimeoutMs = 0; });
        AsyncFakePool.Lease held = await pool.RentAsync();
        _stopped.Clear();

        await Assert.ThrowsAsync<PoolTimeoutException>(() => pool.RentAsync(TimeSpan.FromMilliseconds(50)).AsTask());
        held.Dispose();

        Activity wait = Assert.Single(_stopped);
        Assert.Equal("poolgen.rent.wait", wait.OperationName);
        Assert.Equal(typeof(PoolTimeoutException).FullName, wait.GetTagItem("error.type"));
        Assert.True(wait.Duration >= TimeSpan.FromMilliseconds(40), $"the span lasted {wait.Duration}");
    }
}
