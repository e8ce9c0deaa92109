namespace PoolGen.Tests.Engine.Parts;

/// <summary>
/// The health record on its own: which outcomes its window counts, how runs of failures start and end, how many outcomes
/// it keeps, and whether a rent timed out lately. Times are plain numbers on the pool's millisecond clock.
/// </summary>
public sealed class HealthRecordTests
{
    private static readonly DateTimeOffset s_now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_CountsTheOutcomesInsideTheWindowAndNotTheOlderOnes()
    {
        var record = new HealthRecord();
        record.OpenFailed(new TimeoutException("down"), nowMs: 100, s_now);
        record.Validated(valid: false, nowMs: 200);
        record.OpenSucceeded(nowMs: 500);
        record.OpenFailed(new TimeoutException("down"), nowMs: 700, s_now);
        record.Validated(valid: true, nowMs: 900);

        HealthSnapshot snapshot = record.Read(nowMs: 1_000, windowMs: 600);

        Assert.Equal((2, 1, 1, 0), (snapshot.Opens, snapshot.OpenFailures, snapshot.Validations, snapshot.ValidationFailures));
    }

    [Fact]
    public void Read_AnOutcomeExactlyAtTheWindowsEdge_IsOut()
    {
        var record = new HealthRecord();
        record.OpenFailed(new TimeoutException("down"), nowMs: 400, s_now);
        record.Validated(valid: false, nowMs: 400);

        HealthSnapshot inside = record.Read(nowMs: 999, windowMs: 600);
        HealthSnapshot atTheEdge = record.Read(nowMs: 1_000, windowMs: 600);

        Assert.Equal((1, 1, 1, 1), (inside.Opens, inside.OpenFailures, inside.Validations, inside.ValidationFailures));
        Assert.Equal((0, 0, 0, 0), (atTheEdge.Opens, atTheEdge.OpenFailures, atTheEdge.Validations, atTheEdge.ValidationFailures));
    }

    [Fact]
    public void Read_OutsideTheWindow_KeepsTheRunOfFailuresAndTheLastFailure()
    {
        // The window limits the rates only: failures in a row last until something succeeds.
        var record = new HealthRecord();
        var failure = new TimeoutException("down");
        record.OpenFailed(failure, nowMs: 0, s_now);
        record.OpenFailed(failure, nowMs: 10, s_now);

        HealthSnapshot snapshot = record.Read(nowMs: 100_000, windowMs: 600);

        Assert.Equal(0, snapshot.Opens);
        Assert.Equal(2, snapshot.ConsecutiveFailures);
        Assert.Same(failure, snapshot.LastFailure);
        Assert.Equal(s_now, snapshot.LastFailureAt);
    }

    [Fact]
    public void OpenFailed_InARow_CountsTheRunAndKeepsTheLatestFailure()
    {
        var record = new HealthRecord();
        var first = new TimeoutException("first");
        var latest = new TimeoutException("latest");
        record.OpenFailed(first, nowMs: 0, s_now);
        record.OpenFailed(latest, nowMs: 10, s_now.AddMilliseconds(10));

        HealthSnapshot snapshot = record.Read(nowMs: 20, windowMs: 600);

        Assert.Equal(2, record.ConsecutiveFailures);
        Assert.Equal(2, snapshot.ConsecutiveFailures);
        Assert.Same(latest, snapshot.LastFailure);
        Assert.Equal(s_now.AddMilliseconds(10), snapshot.LastFailureAt);
        Assert.Same(latest, record.LatestOpenFailure());
    }

    [Fact]
    public void OpenSucceeded_EndsTheRunOfFailures_AndKeepsWhenTheLastOneHappened()
    {
        var record = new HealthRecord();
        var failure = new TimeoutException("down");
        record.OpenFailed(failure, nowMs: 0, s_now);
        record.OpenFailed(failure, nowMs: 10, s_now);

        record.OpenSucceeded(nowMs: 20);

        HealthSnapshot snapshot = record.Read(nowMs: 30, windowMs: 600);
        Assert.Equal(0, snapshot.ConsecutiveFailures);
        Assert.Null(record.LatestOpenFailure());
        Assert.Same(failure, snapshot.LastFailure);
        Assert.Equal(s_now, snapshot.LastFailureAt);
    }

    [Fact]
    public void Validated_WhenItPassed_EndsTheRunOfFailuresAndClearsTheLastValidatorError()
    {
        var record = new HealthRecord();
        record.OpenFailed(new TimeoutException("down"), nowMs: 0, s_now);
        record.OpenFailed(new TimeoutException("down"), nowMs: 10, s_now);
        record.ValidationThrew(new InvalidOperationException("validator crashed"));

        record.Validated(valid: true, nowMs: 20);

        HealthSnapshot snapshot = record.Read(nowMs: 30, windowMs: 600);
        Assert.Equal(0, snapshot.ConsecutiveFailures);
        Assert.Null(snapshot.LastValidationError);
        Assert.Null(record.LatestOpenFailure());
        Assert.Equal((1, 0), (snapshot.Validations, snapshot.ValidationFailures));
    }

    [Fact]
    public void Validated_WhenItFailed_NeitherAddsToNorEndsTheRunOfFailures()
    {
        var record = new HealthRecord();
        var validatorError = new InvalidOperationException("validator crashed");
        record.OpenFailed(new TimeoutException("down"), nowMs: 0, s_now);
        record.OpenFailed(new TimeoutException("down"), nowMs: 10, s_now);
        record.ValidationThrew(validatorError);

        record.Validated(valid: false, nowMs: 20);
        record.Validated(valid: false, nowMs: 30);

        HealthSnapshot snapshot = record.Read(nowMs: 40, windowMs: 600);
        Assert.Equal(2, snapshot.ConsecutiveFailures);
        Assert.Same(validatorError, snapshot.LastValidationError);
        Assert.Equal((2, 2), (snapshot.Validations, snapshot.ValidationFailures));
    }

    [Fact]
    public void Validated_WhenItFailedWithNoRunUnderWay_LeavesConsecutiveFailuresAtZero()
    {
        var record = new HealthRecord();

        record.Validated(valid: false, nowMs: 0);

        Assert.Equal(0, record.ConsecutiveFailures);
        Assert.Null(record.LatestOpenFailure());
    }

    [Fact]
    public void ValidationThrew_KeepsTheLatestValidatorError()
    {
        var record = new HealthRecord();
        var latest = new InvalidOperationException("second");
        record.ValidationThrew(new InvalidOperationException("first"));

        record.ValidationThrew(latest);

        Assert.Same(latest, record.Read(nowMs: 0, windowMs: 600).LastValidationError);
    }

    [Fact]
    public void Read_KeepsOnlyTheLast64Outcomes_EvenInsideTheWindow()
    {
        var record = new HealthRecord();
        for (int i = 0; i < 10; i++)
        {
            record.OpenFailed(new TimeoutException("down"), nowMs: i, s_now);
        }

        for (int i = 0; i < 64; i++)
        {
            record.OpenSucceeded(nowMs: 10 + i);
        }

        HealthSnapshot snapshot = record.Read(nowMs: 100, windowMs: 60_000);

        Assert.Equal((64, 0), (snapshot.Opens, snapshot.OpenFailures));
    }

    [Fact]
    public void Read_AfterTheOutcomesWrapAround_CountsTheNewestOnesInTheWindow()
    {
        var record = new HealthRecord();
        for (int i = 0; i < 100; i++)
        {
            record.OpenFailed(new TimeoutException("down"), nowMs: i * 10, s_now);
        }

        // Outcomes at 500, 510, ..., 990 are within 500 ms of 1,000: 50 of them.
        HealthSnapshot snapshot = record.Read(nowMs: 1_000, windowMs: 501);

        Assert.Equal((50, 50), (snapshot.Opens, snapshot.OpenFailures));
    }

    [Fact]
    public void TimedOutInWindow_IsFalseBeforeAnyTimeout()
    {
        var record = new HealthRecord();

        Assert.False(record.Read(nowMs: 0, windowMs: 600).TimedOutInWindow);
        Assert.False(record.Read(nowMs: long.MaxValue / 2, windowMs: 600).TimedOutInWindow);
    }

    [Fact]
    public void TimedOutInWindow_IsTrueWhileTheLatestTimeoutIsInsideTheWindow_AndFalseFromItsEdge()
    {
        var record = new HealthRecord();
        record.TimedOut(nowMs: 1_000);

        Assert.True(record.Read(nowMs: 1_000, windowMs: 600).TimedOutInWindow);
        Assert.True(record.Read(nowMs: 1_599, windowMs: 600).TimedOutInWindow);
        Assert.False(record.Read(nowMs: 1_600, windowMs: 600).TimedOutInWindow);

        record.TimedOut(nowMs: 1_500);
        Assert.True(record.Read(nowMs: 1_600, windowMs: 600).TimedOutInWindow);
    }

    [Fact]
    public void Checked_RecordsTheLatestCheck()
    {
        var record = new HealthRecord();
        var failure = new InvalidOperationException("probe query failed");
        record.Checked(s_now, TimeSpan.FromMilliseconds(12), failure);

        HealthSnapshot snapshot = record.Read(nowMs: 0, windowMs: 600);

        Assert.Equal(s_now, snapshot.LastCheck);
        Assert.Equal(TimeSpan.FromMilliseconds(12), snapshot.CheckDuration);
        Assert.Same(failure, snapshot.LastCheckFailure);

        record.Checked(s_now.AddSeconds(30), TimeSpan.FromMilliseconds(3), failure: null);
        snapshot = record.Read(nowMs: 0, windowMs: 600);
        Assert.Equal(s_now.AddSeconds(30), snapshot.LastCheck);
        Assert.Null(snapshot.LastCheckFailure);
    }

    [Fact]
    public void Checked_WhenTheCheckFailed_AddsToTheRunOfFailures()
    {
        var record = new HealthRecord();
        var failure = new InvalidOperationException("probe query failed");

        record.Checked(s_now, TimeSpan.FromMilliseconds(12), failure);

        HealthSnapshot snapshot = record.Read(nowMs: 0, windowMs: 600);
        Assert.Equal(1, snapshot.ConsecutiveFailures);
        Assert.Same(failure, snapshot.LastFailure);
        Assert.Equal(s_now, snapshot.LastFailureAt);
    }

    [Fact]
    public void Checked_WhenTheCheckFailedToOpen_DoesNotCountTheOpenTwice()
    {
        var record = new HealthRecord();
        var openFailure = new TimeoutException("down");
        record.OpenFailed(openFailure, nowMs: 0, s_now);

        record.Checked(s_now, TimeSpan.FromMilliseconds(900), new PoolConnectionException("Orders", 1, TimeSpan.FromMilliseconds(900), openFailure));

        HealthSnapshot snapshot = record.Read(nowMs: 0, windowMs: 600);
        Assert.Equal(1, snapshot.ConsecutiveFailures);
        Assert.Same(openFailure, snapshot.LastFailure);
        Assert.IsType<PoolConnectionException>(snapshot.LastCheckFailure);
    }
}
