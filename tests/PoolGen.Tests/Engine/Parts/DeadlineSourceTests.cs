using Microsoft.Extensions.Time.Testing;
using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine.Parts;

/// <summary>
/// The deadline token the pool hands to factories and validators: it fires at its deadline or with the rent's token,
/// and a callback that throws when it fires (a provider's cancellation racing with a close) is reported, never thrown
/// on the timer's thread, where it would end the process.
/// </summary>
public sealed class DeadlineSourceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<Exception> _reported = [];

    [Fact]
    public void AtTheDeadline_TheTokenFires_AndACallbackThatThrowsIsReportedNotThrown()
    {
        using var deadline = new DeadlineSource(TimeSpan.FromSeconds(1), _time, CancellationToken.None, _reported.Add);
        deadline.Token.Register(() => throw new NullReferenceException("the provider's cancel raced with its close"));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(deadline.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(deadline.IsCancellationRequested);
        Exception reported = Assert.Single(_reported);
        Assert.IsType<NullReferenceException>(reported);
    }

    [Fact]
    public void WhenTheRentsTokenFires_SoDoesTheDeadlinesAndTheCallbackFailureIsReported()
    {
        using var rent = new CancellationTokenSource();
        using var deadline = new DeadlineSource(Timeout.InfiniteTimeSpan, _time, rent.Token, _reported.Add);
        deadline.Token.Register(() => throw new InvalidOperationException("cancel failed"));

        rent.Cancel();

        Assert.True(deadline.IsCancellationRequested);
        Assert.Equal("cancel failed", Assert.Single(_reported).Message);
    }

    [Fact]
    public void AfterDispose_NeitherTheTimerNorTheRentsTokenReachesIt()
    {
        using var rent = new CancellationTokenSource();
        var deadline = new DeadlineSource(TimeSpan.FromSeconds(1), _time, rent.Token, _reported.Add);
        CancellationToken token = deadline.Token;

        deadline.Dispose();
        _time.Advance(TimeSpan.FromSeconds(2));
        rent.Cancel();

        Assert.False(token.IsCancellationRequested);
        Assert.Empty(_reported);
    }

    [Fact]
    public async Task InAPool_AValidatorsTokenCallbackThatThrowsAtTheTimeout_IsLoggedAndCounted()
    {
        var logger = new ListLogger();
        var database = new FakeDatabase();
        await using var pool = new CheckedFakePool(database, o =>
        {
            o.TimeProvider = _time;
            o.Logger = logger;
            o.ValidationTimeoutMs = 100;
            o.ShutdownTimeoutMs = 0;
        });
        (await pool.RentAsync()).Dispose();
        pool.ValidationGate = new TaskCompletionSource();
        pool.OnValidationToken = token => token.Register(() => throw new NullReferenceException("the provider's cancel raced with its close"));

        Task<CheckedFakePool.Lease> renting = pool.RentAsync(TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        await Eventually.True(() => Volatile.Read(ref pool.ValidationsStarted) == 1);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        (await renting.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();

        Assert.Equal(1, pool.Stats.UserCodeErrors);
        Assert.Contains(logger.MessagesOf("UserCodeFailed"), m => m.Contains("a callback on the token it passed", StringComparison.Ordinal));
        pool.ValidationGate.SetResult();
    }
}
