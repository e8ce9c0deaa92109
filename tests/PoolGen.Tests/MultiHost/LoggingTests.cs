using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.MultiHost;

public sealed class LoggingTests
{
    private readonly FakeHost _primary = new("primary", 5001, EndpointRole.Primary);
    private readonly FakeHost _standby = new("standby", 5002, EndpointRole.Standby);
    private readonly ListLogger _log = new();

    [Fact]
    public async Task Transitions_AreLoggedOnceEach_OnlineOfflineAndRoleChange()
    {
        await using var pool = new FakeCluster(_primary, _standby).CreatePool(o => o.Logger = _log);
        await pool.WarmUpAsync();
        Assert.Equal(
            ["Multi-host pool 'fakes': endpoint primary is online as Primary.", "Multi-host pool 'fakes': endpoint standby is online as Standby."],
            _log.MessagesOf("EndpointOnline").Order());

        _primary.Down = true;
        await pool.CheckHealthAsync();
        await pool.CheckHealthAsync(); // still down: no second line
        string offline = Assert.Single(_log.MessagesOf("EndpointOffline"));
        Assert.StartsWith("Multi-host pool 'fakes': endpoint primary (Primary) is offline: IOException: ", offline);
        Assert.Contains("checked again at least every 60000 ms", offline);

        _standby.Role = EndpointRole.Primary;
        await pool.CheckHealthAsync();
        Assert.Equal(
            "Multi-host pool 'fakes': endpoint standby changed role from Standby to Primary (a failover or a switchover); its connections are closed.",
            Assert.Single(_log.MessagesOf("EndpointRoleChanged")));
        Assert.Equal([100, 101, 102], _log.Entries.Select(e => e.EventId).Distinct().Order());
    }
}
