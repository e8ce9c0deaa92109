using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Observability;

/// <summary>
/// Every instrument of the <c>PoolGen</c> meter, read by a real <see cref="System.Diagnostics.Metrics.MeterListener"/>
/// after a scripted sequence of rents, waits, a timeout, opens, a failed open and closes for each reason, on a clock
/// the test moves.
/// </summary>
public sealed class MetricsTests
{
    private const string Pool = "MetricsPool";

    [Fact]
    public void Instruments_HaveTheConventionsNamesUnitsAndTheMeterName()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MetricRecorder(factory);
        using var pool = new FakePool(new FakeDatabase(), o => { o.Name = Pool; o.MeterFactory = factory; });
        _ = pool.Stats; // creates the pool and its instruments

        var expected = new Dictionary<string, string>
        {
            ["db.client.connection.count"] = "{connection}",
            ["db.client.connection.idle.max"] = "{connection}",
            ["db.client.connection.idle.min"] = "{connection}",
            ["db.client.connection.max"] = "{connection}",
            ["db.client.connection.pending_requests"] = "{request}",
            ["db.client.connection.timeouts"] = "{timeout}",
            ["db.client.connection.create_time"] = "s",
            ["db.client.connection.wait_time"] = "s",
            ["db.client.connection.use_time"] = "s",
            ["poolgen.connection.rents"] = "{rent}",
            ["poolgen.connection.waits"] = "{rent}",
            ["poolgen.connection.shed"] = "{rent}",
            ["poolgen.connection.creates"] = "{connection}",
            ["poolgen.connection.create_failures"] = "{failure}",
            ["poolgen.connection.closes"] = "{connection}",
            ["poolgen.connection.validation_failures"] = "{validation}",
            ["poolgen.lease.leaks_suspected"] = "{lease}",
            ["poolgen.user_code.errors"] = "{error}",
            ["poolgen.connection.lifetime"] = "s",
        };

        Assert.Equal(expected.Keys.Order(), recorder.Instruments.Keys.Order());
        foreach ((string name, string unit) in expected)
        {
            Assert.Equal(unit, recorder.Instruments[name].Unit);
            Assert.Equal("PoolGen", recorder.Instruments[name].Meter.Name);
            Assert.False(string.IsNullOrEmpty(recorder.Instruments[name].Description), name);
        }
    }

    [Fact]
    public async Task AfterAScriptedRun_EveryInstrumentReportsWhatHappened()
    {
        var time = new FakeTimeProvider();
        var database = new FakeDatabase();
        using var factory = new TestMeterFactory();
        using var recorder = new MetricRecorder(factory);
        var pool = new FakePool(database, o =>
        {
            o.Name = Pool;
            o.MeterFactory = factory;
            o.TimeProvider = time;
            o.MaxRetryAttempts = 0;
            o.LifetimeJitterPercent = 0;
            o.ShutdownTimeoutMs = 0;
        });

        // Two opens fill the pool (Max = 2); a third rent waits 250 ms for the first to come back.
        FakePool.Lease a = pool.Rent();
        FakePool.Lease b = pool.Rent();
        Task<FakePool.Lease> waiting = pool.RentAsync().AsTask();
        await Eventually.True(() => pool.Stats.Pending == 1);
        Assert.Equal(0, recorder.ObserveOne("db.client.connection.count", "db.client.connection.state", "idle"));
        Assert.Equal(2, recorder.ObserveOne("db.client.connection.count", "db.client.connection.state", "used"));
        Assert.Equal(1, recorder.ObserveOne("db.client.connection.pending_requests"));
        Assert.Equal(2, recorder.ObserveOne("db.client.connection.max"));
        Assert.Equal(2, recorder.ObserveOne("db.client.connection.idle.max"));
        Assert.Equal(0, recorder.ObserveOne("db.client.connection.idle.min"));

        time.Advance(TimeSpan.FromMilliseconds(250));
        a.Dispose();
        FakePool.Lease c = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        // Nothing is free and nothing may wait: a timeout.
        Assert.Throws<PoolTimeoutException>(() => pool.Rent(TimeSpan.Zero));

        // Closed for each reason a rent or return can find: broken, failed validation, Clear.
        b.Invalidate();
        b.Dispose();
        c.Connection.Broken = true;
        c.Dispose();
        time.Advance(TimeSpan.FromMilliseconds(600));
        FakePool.Lease d = pool.Rent(); // validates the idle one, which fails, and opens another
        d.Dispose();
        pool.Clear();

        // A failed open, then one more rent that opens.
        database.FailWith = new InvalidOperationException("the database is down");
        Assert.Throws<PoolConnectionException>(() => pool.Rent());
        database.FailWith = null;
        pool.Rent().Dispose();

        Assert.Equal(1, recorder.ObserveOne("db.client.connection.count", "db.client.connection.state", "idle"));
        Assert.Equal(0, recorder.ObserveOne("db.client.connection.count", "db.client.connection.state", "used"));
        Assert.Equal(0, recorder.ObserveOne("db.client.connection.pending_requests"));
        Assert.Equal(1, recorder.ObserveOne("db.client.connection.timeouts"));
        Assert.Equal(5, recorder.ObserveOne("poolgen.connection.rents"));
        Assert.Equal(1, recorder.ObserveOne("poolgen.connection.waits"));
        Assert.Equal(4, recorder.ObserveOne("poolgen.connection.creates"));
        Assert.Equal(1, recorder.ObserveOne("poolgen.connection.create_failures"));
        Assert.Equal(1, recorder.ObserveOne("poolgen.connection.validation_failures"));
        Assert.Equal(0, recorder.ObserveOne("poolgen.lease.leaks_suspected"));
        Assert.Equal(0, recorder.ObserveOne("poolgen.user_code.errors"));
        var closes = recorder.Observe("poolgen.connection.closes").ToDictionary(m => (string)m.Tags["poolgen.close.reason"]!, m => m.Value);
        Assert.Equal(
            new Dictionary<string, double>
            {
                ["idle"] = 0, ["lifetime"] = 0, ["validation"] = 1, ["broken"] = 1, ["clear"] = 1,
                ["reset_failure"] = 0, ["resize"] = 0, ["shutdown"] = 0,
            },
            closes);

        // Rents served after 0 s (opens on a clock that did not move) and one after the 250 ms wait.
        Assert.Equal([0, 0, 0, 0, 0.25], recorder.Recorded("db.client.connection.wait_time").Order());
        Assert.Equal([0, 0, 0, 0.25, 0.25], recorder.Recorded("db.client.connection.use_time").Order());
        Assert.Equal(4, recorder.Recorded("db.client.connection.create_time").Count);
        Assert.Equal([0, 0.25, 0.85], recorder.Recorded("poolgen.connection.lifetime").Order());

        await pool.DisposeAsync();

        // The shutdown closed the last connection, and the pool reports nothing more.
        Assert.Equal(4, recorder.Recorded("poolgen.connection.lifetime").Count);
        Assert.Empty(recorder.Observe("db.client.connection.count"));
        Assert.Empty(recorder.Observe("poolgen.connection.closes"));
    }

    [Fact]
    public void EveryMeasurement_IsTaggedWithThePoolName()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MetricRecorder(factory);
        using var pool = new FakePool(new FakeDatabase(), o => { o.Name = Pool; o.MeterFactory = factory; });

        pool.Rent().Dispose();

        foreach (string name in recorder.Instruments.Keys)
        {
            var tags = recorder.Observe(name).Select(m => m.Tags).Concat(recorder.RecordedTags(name)).ToList();
            Assert.All(tags, t => Assert.Equal(Pool, t["db.client.connection.pool.name"]));
        }

        Assert.NotEmpty(recorder.RecordedTags("db.client.connection.wait_time"));
    }

    [Fact]
    public void TwoPools_OnTwoFactories_AreNotSeenByEachOthersListeners()
    {
        using var first = new TestMeterFactory();
        using var second = new TestMeterFactory();
        using var firstRecorder = new MetricRecorder(first);
        using var secondRecorder = new MetricRecorder(second);
        using var one = new FakePool(new FakeDatabase(), o => { o.Name = "One"; o.MeterFactory = first; });
        using var two = new FakePool(new FakeDatabase(), o => { o.Name = "Two"; o.MeterFactory = second; });

        one.Rent().Dispose();
        two.Rent().Dispose();
        two.Rent().Dispose();

        Assert.Equal(1, firstRecorder.ObserveOne("poolgen.connection.rents"));
        Assert.Equal(2, secondRecorder.ObserveOne("poolgen.connection.rents"));
    }

    [Fact]
    public void APoolWithoutAFactory_CreatesAMeterOfItsOwnThatListenersFindByName()
    {
        string name = "Unfactored" + Guid.NewGuid().ToString("N");
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        long rents = -1;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "PoolGen" && instrument.Name == "poolgen.connection.rents")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "db.client.connection.pool.name" && Equals(tag.Value, name))
                {
                    rents = value;
                }
            }
        });
        listener.Start();
        using var pool = new FakePool(new FakeDatabase(), o => o.Name = name);

        pool.Rent().Dispose();
        listener.RecordObservableInstruments();

        Assert.Equal(1, rents);
    }

    [Fact]
    public void APoolNeverDisposed_IsNotKeptAliveByItsMeter()
    {
        WeakReference pool = UseAndForget();

        for (int i = 0; i < 5 && pool.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(pool.IsAlive, "the pool's own meter, which lives until disposed, kept the pool alive");
    }

    // A separate method, so no local of the test keeps the pool reachable.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference UseAndForget()
    {
        var pool = new FakePool(new FakeDatabase(), o => { o.Name = "Forgotten"; o.HealthCheckIntervalMs = 0; });
        pool.Rent().Dispose();
        return new WeakReference(pool);
    }
}
