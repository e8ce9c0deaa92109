using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// Every shape's generated code compiles with no error or warning, and the pool it adds works: rents, returns and
/// counts against the real runtime.
/// </summary>
public sealed class CompileAndRunTests
{
    [Theory]
    [MemberData(nameof(PoolShape.All), MemberType = typeof(PoolShape))]
    public void Generate_ForEveryShape_CompilesWithoutErrorsOrWarnings(PoolShape shape)
    {
        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(shape.Source, Sources.FakeConnection, Scenario(shape)));

        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Theory]
    [MemberData(nameof(PoolShape.All), MemberType = typeof(PoolShape))]
    public async Task Generate_ForEveryShape_RentsReturnsAndCountsThroughTheRuntime(PoolShape shape)
    {
        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(shape.Source, Sources.FakeConnection, Scenario(shape)));

        string result = await ScenarioRunner.RunAsync(output);

        // Sequential rents reuse the one connection; disposing the pool closes it.
        Assert.Equal("rents=4 created=1 taken=True active=False closed=1", result);
    }

    [Theory]
    [InlineData("public sealed class Conn : System.IDisposable { void System.IDisposable.Dispose() { } }", "((global::System.IDisposable)connection).Dispose()")]
    [InlineData("public sealed class Conn : System.IAsyncDisposable { public System.Threading.Tasks.ValueTask DisposeAsync() => default; }", "connection.DisposeAsync().AsTask().GetAwaiter().GetResult()")]
    public void Generate_WhenConnectionDisposesExplicitlyOrOnlyAsynchronously_ClosesItAndCompiles(string connection, string expectedClose)
    {
        string source = "using PoolGen;\n" + connection + "\n[ConnectionPool] public partial class ConnDb { private static Conn Create() => new Conn(); }";

        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(source));

        Assert.Contains(expectedClose, Assert.Single(result.GeneratedSources).SourceText.ToString());
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public async Task Generate_ForDbConnection_ReportsAClosedConnectionBrokenAndTheEngineReplacesIt()
    {
        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(Sources.DbConnection, ClosedConnectionScenario));

        string result = await ScenarioRunner.RunAsync(output);

        // The policy calls a closed connection broken; returned closed, it is not kept, and the next rent opens another.
        Assert.Equal("open=False closed=True broken=1 created=2 next=Open", result);
    }

    [Fact]
    public async Task Generate_ForAMultiHostPool_RoutesWritesToThePrimaryAndReadsToTheStandby()
    {
        (_, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(Sources.MultiHost, Sources.FakeConnection, MultiHostScenario));
        Assert.Empty(GeneratorHarness.Problems(output));

        string result = await ScenarioRunner.RunAsync(output);

        Assert.Equal(
            "write=db1:5432 Primary read=db2:5433 Standby async=db2:5433 try=True default=db1:5432 " +
            "endpoints=db1:5432,db2:5433 names=Orders@db1:5432,Orders@db2:5433 health=Healthy " +
            "unconfigured=Pool 'Orders' is a multi-host pool (its factory takes a PoolEndpoint), but it was given no endpoints. " +
            "disposedUnused=ok",
            result);
    }

    // Writes, reads, the default workload, endpoint stats and health, then a pool given no endpoints, which says so on its
    // first rent and can still be disposed, as can a pool never used.
    private const string MultiHostScenario = """
        using PoolGen;

        public static class Scenario
        {
            public static async System.Threading.Tasks.Task<string> RunAsync()
            {
                var endpoints = new[] { PoolEndpoint.Parse("db1:5432"), PoolEndpoint.Parse("db2:5433") };
                await using var pool = new Shop.Data.ReplicatedDb(endpoints);
                ((IConfigurablePool)pool).Configure(options => options.Name = "Orders");
                await pool.WarmUpAsync();
                string write, read, readAsync, fallback;
                using (var lease = pool.Rent(Workload.ReadWrite))
                {
                    write = $"{lease.Endpoint} {lease.Role}";
                }

                using (var lease = pool.Rent(Workload.ReadOnly))
                {
                    read = $"{lease.Endpoint} {lease.Role}";
                }

                await using (var lease = await pool.RentAsync(Workload.ReadOnly))
                {
                    readAsync = lease.Endpoint.ToString();
                }

                bool taken = pool.TryRent(Workload.Analytics, out var tried);
                tried.Dispose();
                using (var lease = pool.Rent())
                {
                    fallback = lease.Endpoint.ToString();
                }

                string names = string.Join(",", System.Linq.Enumerable.Select(pool.GetEndpointStats(), e => e.Pool.Name));
                string health = pool.GetHealth().Status.ToString();

                var unconfigured = new Shop.Data.ReplicatedDb(new PoolEndpoint[0]);
                ((IConfigurablePool)unconfigured).Configure(options => options.Name = "Orders");
                string error;
                try
                {
                    unconfigured.Rent();
                    error = "none";
                }
                catch (System.InvalidOperationException e)
                {
                    error = e.Message.Substring(e.Message.IndexOf("Pool 'Orders'"), 101);
                }

                unconfigured.Dispose();
                new Shop.Data.ReplicatedDb(endpoints).Dispose();
                return $"write={write} read={read} async={readAsync} try={taken} default={fallback} " +
                    $"endpoints={string.Join(",", pool.Endpoints)} names={names} health={health} unconfigured={error} disposedUnused=ok";
            }
        }
        """;

    // A connection closed behind the pool's back, as Npgsql closes one whose server process died.
    private const string ClosedConnectionScenario = """
        public static class Scenario
        {
            public static async System.Threading.Tasks.Task<string> RunAsync()
            {
                var policy = default(Shop.Data.ReportsDb.ConnectionPoolPolicy);
                await using var pool = new Shop.Data.ReportsDb();
                System.Data.Common.DbConnection first;
                using (var lease = pool.Rent())
                {
                    first = lease.Connection;
                    first.Close();
                }

                bool openBroken;
                using (var other = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:"))
                {
                    other.Open();
                    openBroken = policy.IsBroken(other);
                }

                using var next = pool.Rent();
                return $"open={openBroken} closed={policy.IsBroken(first)} broken={pool.Stats.Broken} created={pool.Stats.Created} next={next.Connection.State}";
            }
        }
        """;

    // Rents synchronously, asynchronously and with TryRent, one at a time, then disposes the pool.
    private static string Scenario(PoolShape shape) => $$"""
        public static class Scenario
        {
            public static async System.Threading.Tasks.Task<string> RunAsync()
            {
                var pool = {{shape.NewPool}};
                using (var lease = pool.Rent())
                {
                    _ = lease.Connection;
                }

                await using (var lease = await pool.RentAsync())
                {
                    _ = lease.Connection;
                }

                using (var lease = await pool.RentAsync(System.TimeSpan.FromSeconds(5)))
                {
                    _ = lease.Connection;
                }

                bool taken = pool.TryRent(out var last);
                _ = last.Connection;
                last.Dispose();
                bool active = last.IsActive;
                PoolGen.PoolStats stats = pool.Stats;
                await pool.{{shape.DisposeAsync}}();
                return $"rents={stats.Rents} created={stats.Created} taken={taken} active={active} closed={pool.Stats.Closed}";
            }
        }
        """;
}
