using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool106ConnectionClosedTests
{
    private static Diagnostic[] Run(string members) => Pool105ConnectionEscapesTests.Run(members, "POOL106");

    private static string Reports(string members, string at) => AnalyzerHarness.Single(Run(members), "POOL106", at);

    [Theory]
    [InlineData("lease.Connection.Dispose()", "disposes")]
    [InlineData("lease.Connection.Close()", "closes")]
    [InlineData("((IDisposable)lease.Connection).Dispose()", "disposes")]
    public void ClosedDirectly_ReportsTheCall(string call, string verb)
    {
        string message = Reports($$"""
            public void Run()
            {
                using var lease = _db.Rent();
                {{call}};
            }
            """, call);

        Assert.Equal(
            $"'{call}' {verb} the pooled connection of 'lease' directly, which wastes it (the pool must throw it away when it comes back) and, in a pool that cannot see a connection's state, hands the dead connection to the next rent: dispose the lease instead (call 'Invalidate()' on it first if the connection is broken)",
            message);
    }

    [Fact]
    public void ClosedThroughConditionalAccess_Reports()
    {
        Reports("""
            public void Run(Db.Lease lease)
            {
                lease.Connection?.Dispose();
            }
            """, "lease.Connection?.Dispose()");
    }

    [Fact]
    public void ClosedThroughALocal_Reports()
    {
        Reports("""
            public void Run()
            {
                using var lease = _db.Rent();
                var connection = lease.Connection;
                connection.Close();
            }
            """, "connection.Close()");
    }

    [Fact]
    public void LeaseInAFieldClosedDirectly_Reports()
    {
        Reports("""
            private Db.Lease _held;

            public void Run() => _held.Connection.Dispose();
            """, "_held.Connection.Dispose()");
    }

    [Fact]
    public void UsingDeclarationOfTheConnection_Reports()
    {
        string message = Reports("""
            public bool Run()
            {
                using var lease = _db.Rent();
                using var connection = lease.Connection;
                return connection.IsOpen;
            }
            """, "connection = lease.Connection");

        Assert.StartsWith("The 'using' of 'connection' disposes the pooled connection of 'lease' directly", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void UsingStatementOfTheConnection_Reports()
    {
        Reports("""
            public bool Run()
            {
                using var lease = _db.Rent();
                using (lease.Connection)
                {
                    return true;
                }
            }
            """, "lease.Connection");
    }

    // Nothing to report.

    [Theory]
    [InlineData("""
        public bool Run()
        {
            using var lease = _db.Rent();
            return lease.Connection.IsOpen;
        }
        """)]
    [InlineData("""
        public void Run()
        {
            using var lease = _db.Rent();
            if (!lease.Connection.IsOpen)
            {
                lease.Invalidate();
            }
        }
        """)]
    [InlineData("""
        public void Run()
        {
            var connection = new FakeConnection();
            connection.Dispose();
            using var lease = _db.Rent();
        }
        """)]
    public void LeaseDisposedNotTheConnection_ReportsNothing(string members)
    {
        Assert.Empty(Run(members));
    }
}
