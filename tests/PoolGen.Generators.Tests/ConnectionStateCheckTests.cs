using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using PoolGen.Generators.Parsing;
using PoolGen.Generators.Tests.Infrastructure;

namespace PoolGen.Generators.Tests;

/// <summary>
/// CheckConnectionState: a pool of <c>IDbConnection</c>s without an IsBroken method treats a connection whose State is
/// Closed or Broken as broken; the user's IsBroken replaces the check, and <c>CheckConnectionState = false</c> or a
/// connection type of another kind leaves the policy as it was.
/// </summary>
public sealed class ConnectionStateCheckTests
{
    private const string StateCheck =
        "connection.State is global::System.Data.ConnectionState.Closed or global::System.Data.ConnectionState.Broken";

    [Fact]
    public void Generate_WhenCheckConnectionStateIsFalse_EmitsNoCheckAndNoOption()
    {
        string generated = Generate(Sources.DbConnection.Replace("Max = 4", "Max = 4, CheckConnectionState = false"));

        Assert.Contains("public bool HasIsBroken => false;", generated);
        // The policy has no IsBroken: the interface's default, never called while HasIsBroken is false, stands in.
        Assert.DoesNotContain("IsBroken(", generated);
        Assert.DoesNotContain("ConnectionState.Closed", generated);
        // PoolOptions has no such property: the setting is compiled into the policy, never copied onto the options.
        Assert.DoesNotContain("CheckConnectionState =", generated);
    }

    [Fact]
    public void Generate_WhenCheckConnectionStateIsTrue_EmitsTheSameAsTheDefault()
    {
        string generated = Generate(Sources.DbConnection.Replace("Max = 4", "Max = 4, CheckConnectionState = true"));

        Assert.Equal(Generate(Sources.DbConnection), generated);
    }

    [Fact]
    public void Generate_WhenClassNamesIsBroken_CallsItInsteadOfTheStateCheck()
    {
        string generated = Generate(Sources.DbConnection
            .Replace("Max = 4", "Max = 4, IsBroken = nameof(IsDead)")
            .Replace("private static DbConnection Create()", "private static bool IsDead(DbConnection c) => false;\n\n        private static DbConnection Create()"));

        Assert.Contains("public bool HasIsBroken => true;", generated);
        Assert.Contains("public bool IsBroken(global::System.Data.Common.DbConnection connection) => global::Shop.Data.ReportsDb.IsDead(connection);", generated);
        Assert.DoesNotContain("ConnectionState.Closed", generated);
    }

    [Fact]
    public void Generate_WhenConnectionIsNoIDbConnection_EmitsNoCheck()
    {
        string generated = Generate(Sources.GlobalNamespace);

        Assert.Contains("public bool HasIsBroken => false;", generated);
        Assert.DoesNotContain("IsBroken(", generated);
    }

    [Fact]
    public void Generate_WhenConnectionImplementsStateExplicitly_ReadsItThroughTheInterfaceAndCompiles()
    {
        (string generated, Compilation output) = GenerateAndCompile(ExplicitStateConnection);

        Assert.Contains("((global::System.Data.IDbConnection)connection).State is global::System.Data.ConnectionState.Closed", generated);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Generate_WhenConnectionHidesState_ReadsTheInterfacesStateAndCompiles()
    {
        (string generated, Compilation output) = GenerateAndCompile(HiddenStateConnection);

        Assert.Contains("((global::System.Data.IDbConnection)connection).State is global::System.Data.ConnectionState.Closed", generated);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Generate_WhenConnectionIsAnInterfaceExtendingIDbConnection_ReadsStateDirectlyAndCompiles()
    {
        (string generated, Compilation output) = GenerateAndCompile(DerivedInterfaceConnection);

        Assert.Contains(StateCheck, generated);
        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void DefaultCheckConnectionState_IsTheRuntimes()
    {
        Assert.Equal(AttributeSettings.DefaultCheckConnectionState, PoolDefaults.CheckConnectionState);
        Assert.Equal(AttributeSettings.DefaultCheckConnectionState, new ConnectionPoolAttribute().CheckConnectionState);
    }

    private const string ExplicitStateConnection = """
        using System.Data;
        using System.Diagnostics.CodeAnalysis;
        using PoolGen;

        namespace Shop.Data
        {
            public sealed class LegacyConnection : IDbConnection
            {
                private ConnectionState _state = ConnectionState.Open;

                ConnectionState IDbConnection.State => _state;

                [AllowNull]
                public string ConnectionString { get; set; } = string.Empty;

                public int ConnectionTimeout => 0;

                public string Database => "legacy";

                public IDbTransaction BeginTransaction() => throw new System.NotSupportedException();

                public IDbTransaction BeginTransaction(IsolationLevel il) => throw new System.NotSupportedException();

                public void ChangeDatabase(string databaseName) { }

                public void Close() => _state = ConnectionState.Closed;

                public IDbCommand CreateCommand() => throw new System.NotSupportedException();

                public void Open() => _state = ConnectionState.Open;

                public void Dispose() => Close();
            }

            [ConnectionPool]
            public partial class LegacyDb
            {
                private static LegacyConnection Create() => new LegacyConnection();
            }
        }
        """;

    private const string HiddenStateConnection = """
        using Microsoft.Data.Sqlite;
        using PoolGen;

        namespace Shop.Data
        {
            public sealed class TracedConnection : SqliteConnection
            {
                public TracedConnection() : base("Data Source=:memory:") { }

                public new string State => "traced " + base.State;
            }

            [ConnectionPool]
            public partial class TracedDb
            {
                private static TracedConnection Create() => new TracedConnection();
            }
        }
        """;

    private const string DerivedInterfaceConnection = """
        using System.Data;
        using PoolGen;

        namespace Shop.Data
        {
            public interface ITenantConnection : IDbConnection
            {
                string Tenant { get; }
            }

            [ConnectionPool]
            public partial class TenantDb
            {
                private static ITenantConnection Create() => throw new System.NotSupportedException();
            }
        }
        """;

    // The generated code with every run of white space made one space: the assertions are about code, not line breaks.
    private static string Generate(string source) =>
        Flat(GeneratorHarness.RunSingle(source, Sources.FakeConnection).SourceText.ToString());

    private static (string Generated, Compilation Output) GenerateAndCompile(string source)
    {
        (GeneratorRunResult result, Compilation output) = GeneratorHarness.Run(TestCompilation.Create(source));
        return (Flat(Assert.Single(result.GeneratedSources).SourceText.ToString()), output);
    }

    private static string Flat(string code) => Regex.Replace(code, @"\s+", " ");
}
