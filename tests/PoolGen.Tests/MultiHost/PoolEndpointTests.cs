namespace PoolGen.Tests.MultiHost;

public sealed class PoolEndpointTests
{
    [Fact]
    public void ParseList_WithHostPrefixPortsAndIpv6_ReadsEveryEndpoint()
    {
        IReadOnlyList<PoolEndpoint> endpoints = PoolEndpoint.ParseList("Host=db1:5432, db2:5433,[::1]:6000,db3");

        Assert.Equal(
            [("db1", 5432), ("db2", 5433), ("::1", 6000), ("db3", 5432)],
            endpoints.Select(e => (e.Host, e.Port)).ToArray());
        Assert.Equal("[::1]:6000", endpoints[2].ToString());
        Assert.Equal("db2:5433", endpoints[1].ToString());
    }

    [Theory]
    [InlineData("db1:99999", "the port '99999' is not a number between 1 and 65535")]
    [InlineData("db1:5432,DB1:5432", "DB1:5432 appears twice")] // host names compare without case, as DNS does
    [InlineData("Port=5432", "only 'Host=' or 'Server=' may precede the list")]
    [InlineData(" , ", "it names no endpoint")]
    [InlineData("[::1:5432", "is not closed with ']'")]
    public void ParseList_WhenMalformed_SaysWhatIsWrong(string text, string expected)
    {
        FormatException error = Assert.Throws<FormatException>(() => PoolEndpoint.ParseList(text));

        Assert.Contains(expected, error.Message);
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Constructor_WithNameAndWeight_KeepsThemAndShowsTheName()
    {
        var endpoint = new PoolEndpoint("10.0.0.7", 5432, name: "replica-a", weight: 3);

        Assert.Equal(("replica-a", 3), (endpoint.ToString(), endpoint.Weight));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolEndpoint("h", 5432, weight: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolEndpoint("h", 0));
    }
}
