namespace PoolGen.Tests.UnderLoad;

/// <summary>The advice texts against scripted loads: each rule fires on the load it describes, with its numbers, and only then.</summary>
public sealed class PoolAdvisorTests
{
    [Fact]
    public void ALoadThatNeedsMoreThanMax_AndWaits_IsToldMaxIsTooSmall_WithLittlesLaw()
    {
        PoolLoad load = Load(rentsPerSecond: 2_300, meanHoldMs: 4.1, meanDemand: 9.43, peak: 11, waitP99Ms: 38, waitedShare: 0.2, max: 8);

        PoolAdvice advice = Assert.Single(PoolAdvisor.Advise(load));

        Assert.Equal(PoolAdviceKind.MaxTooSmall, advice.Kind);
        Assert.Equal(
            "Max is too small for the load: at 2,300 rents/s and 4.1 ms mean hold time the pool needs about 10 connections, " +
            "has 8, and rents wait 38 ms at p99 (20 % of rents wait). Raise Max to about 14 if the database can take it, or " +
            "hold leases for less time.",
            advice.Message);
        Assert.Equal(14, advice.SuggestedMax);
    }

    [Fact]
    public void APoolMostlyIdleForTenMinutes_IsToldASmallerMaxServesThePeak()
    {
        PoolLoad load = Load(rentsPerSecond: 200, meanHoldMs: 20, meanDemand: 4, peak: 10, utilisation: 0.1, max: 50, window: TimeSpan.FromMinutes(10));

        PoolAdvice advice = Assert.Single(PoolAdvisor.Advise(load));

        Assert.Equal(PoolAdviceKind.MaxTooLarge, advice.Kind);
        Assert.Equal(
            "Most connections sat idle over the last 10 minutes: at most 10 were wanted at once, against Max 50, and the open " +
            "ones were leased 10 % of the time. Max 12 would serve the peak seen, and leave the database's connections to others.",
            advice.Message);
        Assert.Equal(12, advice.SuggestedMax);
    }

    [Fact]
    public void LongHolds_AreNamedWithTheMeanHold()
    {
        PoolLoad load = Load(rentsPerSecond: 3, meanHoldMs: 2_100, meanDemand: 6.3, peak: 8, utilisation: 0.8, max: 10);

        PoolAdvice advice = Assert.Single(PoolAdvisor.Advise(load));

        Assert.Equal(PoolAdviceKind.LongHolds, advice.Kind);
        Assert.StartsWith("Leases are held long: 2,100 ms on average at 3.0 rents/s, which keeps 6.3 connections busy.", advice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 10)] // too little load to tell
    [InlineData(500, 5)] // too short a window
    public void TooLittleToGoOn_GivesNoAdvice(double rentsPerSecond, int windowSeconds)
    {
        PoolLoad load = Load(rentsPerSecond, meanHoldMs: 4_000, meanDemand: 20, peak: 20, waitP99Ms: 500, waitedShare: 0.5, max: 8,
            window: TimeSpan.FromSeconds(windowSeconds));

        Assert.Empty(PoolAdvisor.Advise(load));
    }

    [Fact]
    public void AWellSizedPool_GetsNoAdvice()
    {
        Assert.Empty(PoolAdvisor.Advise(Load(rentsPerSecond: 1_000, meanHoldMs: 5, meanDemand: 5, peak: 9, utilisation: 0.6, max: 12)));
        Assert.Empty(PoolAdvisor.Advise(null));
    }

    private static PoolLoad Load(
        double rentsPerSecond, double meanHoldMs, double meanDemand, int peak, double waitP99Ms = 0, double waitedShare = 0,
        double utilisation = 0.9, int max = 10, TimeSpan? window = null) =>
        new(window ?? TimeSpan.FromMinutes(1), rentsPerSecond, TimeSpan.FromMilliseconds(meanHoldMs), meanDemand, peak, utilisation,
            TimeSpan.FromMilliseconds(waitP99Ms), waitedShare, Open: max, Max: max);
}
