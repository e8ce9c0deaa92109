using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Configuration;

/// <summary>A multi-host pool is a factory that takes the endpoint plus a role check: either alone is POOL008, both is a pool.</summary>
public sealed class Pool008MultiHostTests
{
    [Fact]
    public void FactoryTakingAnEndpoint_WithoutRoleCheck_IsReportedAndNothingIsGenerated()
    {
        const string source = """
            [ConnectionPool]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create(PoolEndpoint endpoint) => new FakeConnection();
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL008", "OrdersDb");

        Assert.Equal(
            "The factory 'Create' of 'OrdersDb' takes a PoolEndpoint, which makes 'OrdersDb' a multi-host pool, but [ConnectionPool] names no " +
            "RoleCheck to tell a primary from a standby: add RoleCheck = nameof(M), where M is one of EndpointRole M(FakeConnection), " +
            "ValueTask<EndpointRole> M(FakeConnection[, CancellationToken]) or Task<EndpointRole> M(FakeConnection[, CancellationToken]) " +
            "(static or instance) (for PostgreSQL, SELECT pg_is_in_recovery(): true is a standby)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void RoleCheck_WithAFactoryTakingNoEndpoint_IsReportedOnTheArgument()
    {
        const string source = """
            [ConnectionPool(RoleCheck = nameof(Role))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create() => new FakeConnection();
                private static EndpointRole Role(FakeConnection c) => EndpointRole.Primary;
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL008", "RoleCheck = nameof(Role)");

        Assert.StartsWith("RoleCheck = \"Role\" makes 'OrdersDb' a multi-host pool, but its factory 'Create' takes no PoolEndpoint", message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Fact]
    public void RoleCheckOfTheWrongShape_IsPool003WithTheAcceptedSignatures()
    {
        const string source = """
            [ConnectionPool(RoleCheck = nameof(IsStandby))]
            public sealed partial class OrdersDb
            {
                private FakeConnection Create(PoolEndpoint endpoint) => new FakeConnection();
                private static bool IsStandby(FakeConnection c) => false;
            }
            """;

        string message = AnalyzerHarness.Single(AnalyzerHarness.Run(source), "POOL003", "RoleCheck = nameof(IsStandby)");

        Assert.Equal(
            "RoleCheck = \"IsStandby\" names no method of a usable signature (found 'IsStandby(FakeConnection)'): declare one of " +
            "EndpointRole M(FakeConnection), ValueTask<EndpointRole> M(FakeConnection[, CancellationToken]) or " +
            "Task<EndpointRole> M(FakeConnection[, CancellationToken]) (static or instance)",
            message);
        Assert.Equal(0, AnalyzerHarness.GeneratedPools(source));
    }

    [Theory]
    [InlineData("private FakeConnection Create(PoolEndpoint endpoint) => new FakeConnection();", "private static EndpointRole Role(FakeConnection c) => EndpointRole.Primary;")]
    [InlineData("private ValueTask<FakeConnection> CreateAsync(PoolEndpoint endpoint, CancellationToken ct) => new(new FakeConnection());", "private Task<EndpointRole> Role(FakeConnection c, CancellationToken ct) => Task.FromResult(EndpointRole.Standby);")]
    [InlineData("private static Task<FakeConnection> CreateAsync(PoolEndpoint endpoint) => Task.FromResult(new FakeConnection());", "private ValueTask<EndpointRole> Role(FakeConnection c) => new(EndpointRole.Standby);")]
    public void BothHalves_InAnyShape_RaiseNothingAndGenerateThePool(string factory, string roleCheck)
    {
        string source = $$"""
            [ConnectionPool(RoleCheck = nameof(Role))]
            public sealed partial class OrdersDb
            {
                {{factory}}
                {{roleCheck}}
            }
            """;

        Assert.Empty(AnalyzerHarness.Run(source));
        Assert.Equal(1, AnalyzerHarness.GeneratedPools(source));
    }
}
