using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool105ConnectionEscapesTests
{
    internal static Diagnostic[] Run(string members, string id)
    {
        string source = $$"""
            public sealed class Command
            {
                public FakeConnection? Connection { get; set; }
            }

            public sealed class Orders
            {
                private static FakeConnection? s_shared;
                private readonly Db _db = new Db();
                private FakeConnection? _connection;
                private Func<bool>? _check;
                private Command _command = new Command();

                public event Action? Changed;

                public FakeConnection? Current { get; set; }

                {{members}}

                private void Raise() => Changed?.Invoke();
            }
            """;
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
        return AnalyzerHarness.Run(new ConnectionUseAnalyzer(), source).Where(d => d.Id == id).ToArray();
    }

    private static string Reports(string members, string at) => AnalyzerHarness.Single(Run(members, "POOL105"), "POOL105", at);

    [Fact]
    public void ConnectionReturned_ReportsTheReturnedValue()
    {
        string message = Reports("""
            public FakeConnection Open()
            {
                using var lease = _db.Rent();
                return lease.Connection;
            }
            """, "lease.Connection");

        Assert.Equal(
            "The connection of 'lease' escapes the lease: it is returned from 'Open', but the connection goes back to the pool when the lease is disposed; keep the lease instead (return it, or store it where its owner disposes it), or use the connection only while the lease is held",
            message);
    }

    [Fact]
    public void ConnectionLocalReturned_Reports()
    {
        Reports("""
            public FakeConnection Open()
            {
                using var lease = _db.Rent();
                var connection = lease.Connection;
                return connection;
            }
            """, "connection");
    }

    [Theory]
    [InlineData("_connection = lease.Connection;", "_connection")]
    [InlineData("s_shared = lease.Connection;", "s_shared")]
    [InlineData("Current = lease.Connection;", "Current")]
    [InlineData("_command.Connection = lease.Connection;", "_command.Connection")]
    public void ConnectionStoredInAFieldOrProperty_Reports(string store, string target)
    {
        string message = Reports($$"""
            public void Open()
            {
                using var lease = _db.Rent();
                {{store}}
            }
            """, "lease.Connection");

        Assert.Contains($"it is stored in '{target}'", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void BorrowedLeaseConnectionStored_Reports()
    {
        Reports("""
            public void Remember(Db.Lease lease) => _connection = lease.Connection;
            """, "lease.Connection");
    }

    [Fact]
    public void LambdaStoredInAField_ReadingTheConnectionLocal_Reports()
    {
        string message = Reports("""
            public void Watch()
            {
                using var lease = _db.Rent();
                var connection = lease.Connection;
                _check = () => connection.IsOpen;
            }
            """, "connection");

        Assert.Contains("a closure that reads it is stored in '_check'", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void LambdaReturned_ReadingTheLeaseConnection_Reports()
    {
        Reports("""
            public Func<bool> Watch()
            {
                using var lease = _db.Rent();
                return () => lease.Connection.IsOpen;
            }
            """, "lease.Connection");
    }

    [Fact]
    public void LocalFunctionSubscribedToAnEvent_Reports()
    {
        string message = Reports("""
            public void Watch()
            {
                using var lease = _db.Rent();
                Changed += Check;

                void Check() => _ = lease.Connection.IsOpen;
            }
            """, "lease.Connection");

        Assert.Contains("subscribed to 'Changed'", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void LambdaReturningTheConnectionOfItsOwnLease_Reports()
    {
        string message = Reports("""
            public Func<FakeConnection> Later() => () =>
            {
                using var lease = _db.Rent();
                return lease.Connection;
            };
            """, "lease.Connection");

        Assert.Contains("it is returned from a lambda", message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return Current is null ? lease.Connection : null;", "lease.Connection")]
    [InlineData("return lease.Connection ?? new FakeConnection();", "lease.Connection")]
    [InlineData("_connection = Current is null ? new FakeConnection() : lease.Connection; return null;", "lease.Connection")]
    public void ConnectionInAConditionalOrCoalesce_Reports(string statements, string at)
    {
        Reports($$"""
            public FakeConnection? Open()
            {
                using var lease = _db.Rent();
                {{statements}}
            }
            """, at);
    }

    [Fact]
    public void ConnectionPassedToAConstructorWhoseObjectIsStored_Reports()
    {
        string message = Reports("""
            private Reader? _reader;

            public void Open()
            {
                using var lease = _db.Rent();
                _reader = new Reader(lease.Connection);
            }

            private sealed class Reader(FakeConnection connection)
            {
                public bool IsOpen => connection.IsOpen;
            }
            """, "lease.Connection");

        Assert.Contains("it is passed to 'new Reader(lease.Connection)', which is stored in '_reader'", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionInTheInitializerOfAReturnedObject_Reports()
    {
        string message = Reports("""
            public Command Open()
            {
                using var lease = _db.Rent();
                return new Command { Connection = lease.Connection };
            }
            """, "lease.Connection");

        Assert.Contains("which is returned", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionPassedToAMethodThatStoresIt_OnAKeptObject_Reports()
    {
        Diagnostic[] diagnostics = Run("""
            private readonly Cache _cache = new();
            private FakeConnection? _last;

            public bool Open()
            {
                using var lease = _db.Rent();
                _cache.Remember(lease.Connection);
                Remember(lease.Connection);
                var local = new Cache();
                local.Remember(lease.Connection);
                return _cache.Check(lease.Connection);
            }

            private void Remember(FakeConnection connection) => this._last = connection;

            private sealed class Cache
            {
                private FakeConnection? _last;

                public void Remember(FakeConnection connection)
                {
                    _last = connection;
                }

                public bool Check(FakeConnection connection)
                {
                    FakeConnection seen;
                    seen = connection;
                    return seen.IsOpen && _last is not null;
                }
            }
            """, "POOL105");

        Assert.Equal(2, diagnostics.Length);
        Assert.Contains("it is passed to 'Remember', which stores it in a field of '_cache'", diagnostics[0].GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("it is passed to 'Remember', which stores it in a field of this object", diagnostics[1].GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionAddedToACollectionField_Reports()
    {
        string message = Reports("""
            private readonly System.Collections.Generic.List<FakeConnection> _all = new();

            public void Open()
            {
                using var lease = _db.Rent();
                _all.Add(lease.Connection);
            }
            """, "lease.Connection");

        Assert.Contains("it is added to '_all'", message, System.StringComparison.Ordinal);
    }

    // Nothing to report.

    [Theory]
    [InlineData("""
        public bool Open()
        {
            using var lease = _db.Rent();
            var command = new Command { Connection = lease.Connection };
            var other = new Command();
            other.Connection = lease.Connection;
            return command.Connection!.IsOpen && other.Connection.IsOpen;
        }
        """)]
    [InlineData("""
        public static FakeConnection ConnectionOf(Db.Lease lease) => lease.Connection;
        """)]
    [InlineData("""
        public FakeConnection? Held() => _held.Connection;

        private Db.Lease _held;
        """)]
    [InlineData("""
        public bool Open()
        {
            using var lease = _db.Rent();
            Func<bool> check = () => lease.Connection.IsOpen;
            return check();
        }
        """)]
    [InlineData("""
        public Task Background()
        {
            var lease = _db.Rent();
            _check = () =>
            {
                using (lease)
                {
                    return lease.Connection.IsOpen;
                }
            };
            return Task.CompletedTask;
        }
        """)]
    [InlineData("""
        public bool Open()
        {
            using var lease = _db.Rent();
            var reader = new Reader(lease.Connection);
            var all = new System.Collections.Generic.List<FakeConnection> { lease.Connection };
            all.Add(lease.Connection);
            FakeConnection? chosen = _flag ? lease.Connection : null;
            return reader.IsOpen && all.Count == 2 && chosen is not null;
        }

        private bool _flag;

        private sealed class Reader(FakeConnection connection)
        {
            public bool IsOpen => connection.IsOpen;
        }
        """)]
    [InlineData("""
        private Db.Lease _lease;
        private FakeConnection? _own;

        public void Adopt([TakesLease] Db.Lease lease)
        {
            _lease.Dispose();
            _lease = lease;
            _own = lease.Connection;
        }

        public void Open()
        {
            var lease = _db.Rent();
            _lease = lease;
            _own = lease.Connection;
        }
        """)]
    public void ConnectionUsedWhileTheLeaseLives_ReportsNothing(string members)
    {
        Assert.Empty(Run(members, "POOL105"));
    }
}
