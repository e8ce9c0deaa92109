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
