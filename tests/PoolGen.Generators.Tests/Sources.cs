namespace PoolGen.Generators.Tests;

/// <summary>
/// User code for each shape the generator supports. Each pool has a constructor the compile-and-run tests can call
/// (see <see cref="PoolShape"/>).
/// </summary>
internal static class Sources
{
    /// <summary>A connection-like type for shapes that need no database, with both dispose interfaces.</summary>
    public const string FakeConnection = """
        namespace Fakes
        {
            public sealed class FakeConnection : System.IDisposable, System.IAsyncDisposable
            {
                public bool IsOpen { get; private set; } = true;
                public int Resets { get; set; }
                public int Port { get; set; }
                public void Dispose() => IsOpen = false;
                public System.Threading.Tasks.ValueTask DisposeAsync() { IsOpen = false; return default; }
            }
        }
        """;

    public const string SyncFactoryWithValidate = """
        using Microsoft.Data.Sqlite;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Min = 2, Max = 16, Validate = nameof(IsAlive))]
            public sealed partial class OrdersDb
            {
                private readonly string _cs;
                public OrdersDb(string cs) => _cs = cs;
                private SqliteConnection Create() { var c = new SqliteConnection(_cs); c.Open(); return c; }
                private static bool IsAlive(SqliteConnection c) => c.State == System.Data.ConnectionState.Open;
            }
        }
        """;

    public const string AsyncFactoryWithTokenValidateAndReset = """
        using System.Threading;
        using System.Threading.Tasks;
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Max = 4, Validate = nameof(PingAsync), Reset = nameof(ResetAsync), ValidateOnReturn = true)]
            public partial class AsyncDb
            {
                private async ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return new FakeConnection();
                }

                private ValueTask<bool> PingAsync(FakeConnection connection, CancellationToken cancellationToken) =>
                    new ValueTask<bool>(connection.IsOpen);

                private static Task ResetAsync(FakeConnection connection)
                {
                    connection.Resets++;
                    return Task.CompletedTask;
                }
            }
        }
        """;

    public const string TaskFactory = """
        using System.Threading.Tasks;
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Min = 0, Max = 8, AcquireTimeoutMs = 5000, IdleTimeoutMs = 60000, MaxLifetimeMs = 0,
                ValidateOnRent = false, ValidateOnReturn = true, ValidateAfterIdleMs = 0, ShutdownTimeoutMs = 1000, LifetimeJitterPercent = 5,
                MaxRetryAttempts = 2, RetryDelayMs = 50, HealthCheckIntervalMs = 10000, ValidateOnIdle = false, ValidationTimeoutMs = 2000,
                MaxConcurrentOpens = 4, LeakThresholdMs = 60000, IsBroken = nameof(IsBroken))]
            public partial class TaskDb
            {
                private static Task<FakeConnection> CreateConnectionAsync() => Task.FromResult(new FakeConnection());

                private bool IsBroken(FakeConnection connection) => !connection.IsOpen;
            }
        }
        """;

    public const string PoolFactoryAttribute = """
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool]
            public partial class MarkedDb
            {
                [PoolFactory]
                internal FakeConnection Open() => new FakeConnection();

                // Not the factory: the marked method wins over the naming convention.
                internal FakeConnection Create() => throw new System.InvalidOperationException();
            }
        }
        """;

    public const string FactoryNamedByAttribute = """
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Factory = nameof(Connect), Validate = nameof(Check))]
            public partial class NamedDb
            {
                private FakeConnection Connect(System.Threading.CancellationToken cancellationToken) => new FakeConnection();
                private FakeConnection Connect(int unusable) => new FakeConnection();
                private static bool Check(object connection) => connection is FakeConnection { IsOpen: true };
            }
        }
        """;

    public const string NestedClass = """
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            public static partial class Databases
            {
                public partial record struct Group
                {
                    [ConnectionPool(Max = 2)]
                    public partial class Inner
                    {
                        private static FakeConnection Create() => new FakeConnection();
                    }
                }
            }
        }
        """;

    public const string GlobalNamespace = """
        using Fakes;
        using PoolGen;

        [ConnectionPool(Max = 3)]
        public partial class GlobalDb
        {
            private FakeConnection CreateConnection() => new FakeConnection();
        }
        """;

    public const string FileScopedNamespace = """
        using Fakes;
        using PoolGen;

        namespace Shop.FileScoped;

        [ConnectionPool(Max = 5)]
        internal sealed partial class ScopedDb
        {
            private FakeConnection Create() => new FakeConnection();
        }
        """;

    public const string CustomClose = """
        using System.Threading.Tasks;
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Close = nameof(Shutdown))]
            public partial class ClosingDb
            {
                private FakeConnection Create() => new FakeConnection();
                private ValueTask Shutdown(FakeConnection connection) => connection.DisposeAsync();
            }
        }
        """;

    public const string ConnectionWithoutDispose = """
        using PoolGen;

        namespace Shop.Data
        {
            public sealed class Channel
            {
                public string Name { get; } = "channel";
            }

            [ConnectionPool]
            public partial class ChannelPool
            {
                private static Channel Create() => new Channel();
            }
        }
        """;

    public const string UserDeclaredDispose = """
        using System;
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool]
            public sealed partial class OwningDb : IDisposable
            {
                private FakeConnection Create() => new FakeConnection();
                public void Dispose() => DisposePool();
            }
        }
        """;

    public const string InterfaceConnection = """
        using System.Data;
        using Microsoft.Data.Sqlite;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Reset = nameof(Reset))]
            public partial class AnyDb
            {
                private IDbConnection Create()
                {
                    IDbConnection connection = new SqliteConnection("Data Source=:memory:");
                    connection.Open();
                    return connection;
                }

                private static void Reset(IDbConnection connection)
                {
                    using IDbCommand command = connection.CreateCommand();
                    command.CommandText = "PRAGMA foreign_keys = ON";
                    command.ExecuteNonQuery();
                }
            }
        }
        """;

    public const string DbConnection = """
        using System.Data.Common;
        using Microsoft.Data.Sqlite;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Max = 4)]
            public partial class ReportsDb
            {
                private static DbConnection Create()
                {
                    DbConnection connection = new SqliteConnection("Data Source=:memory:");
                    connection.Open();
                    return connection;
                }
            }
        }
        """;

    /// <summary>
    /// A multi-host pool: the factory takes the endpoint, the role check says port 5432 is the primary. Its endpoints
    /// come from the constructor, as they would from configuration, through ConfigurePool.
    /// </summary>
    public const string MultiHost = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Fakes;
        using PoolGen;

        namespace Shop.Data
        {
            [ConnectionPool(Max = 3, Validate = nameof(IsAlive), RoleCheck = nameof(CheckRoleAsync))]
            public sealed partial class ReplicatedDb
            {
                private readonly IReadOnlyList<PoolEndpoint> _endpoints;

                public ReplicatedDb(IReadOnlyList<PoolEndpoint> endpoints) => _endpoints = endpoints;

                public List<string> Opened { get; } = new List<string>();

                private FakeConnection Create(PoolEndpoint endpoint)
                {
                    lock (Opened)
                    {
                        Opened.Add(endpoint.ToString());
                    }

                    return new FakeConnection { Port = endpoint.Port };
                }

                private static bool IsAlive(FakeConnection connection) => connection.IsOpen;

                private static ValueTask<EndpointRole> CheckRoleAsync(FakeConnection connection, CancellationToken cancellationToken) =>
                    new ValueTask<EndpointRole>(connection.Port == 5432 ? EndpointRole.Primary : EndpointRole.Standby);

                partial void ConfigurePool(PoolOptions options)
                {
                    foreach (PoolEndpoint endpoint in _endpoints)
                    {
                        options.Endpoints.Add(endpoint);
                    }
                }

                partial void ConfigureHosts(MultiHostOptions<FakeConnection> options) => options.RecheckIntervalMs = 60_000;
            }
        }
        """;
}
