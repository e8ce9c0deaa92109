using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool103UseAfterDisposeTests
{
    internal static Diagnostic[] Run(string members, string id)
    {
        string source = $$"""
            public sealed class Orders
            {
                private readonly Db _db = new Db();
                private bool _flag;

                {{members}}

                private static void Use(Db.Lease lease) => _ = lease.Connection;

                private static void Keep([TakesLease] Db.Lease lease) => lease.Dispose();
            }
            """;
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
        return AnalyzerHarness.Run(new LeaseLifetimeAnalyzer(), source).Where(d => d.Id == id).ToArray();
    }

    private static string Reports(string members, string at) => AnalyzerHarness.Single(Run(members, "POOL103"), "POOL103", at);

    [Fact]
    public void ConnectionAfterDispose_ReportsTheUse_NamingTheDispose()
    {
        string message = Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                lease.Dispose();
                return lease.Connection.IsOpen;
            }
            """, "lease.Connection");

        Assert.StartsWith("'lease.Connection' is used after 'lease.Dispose()' at line 9 disposed the lease:", message, System.StringComparison.Ordinal);
        Assert.Contains("use the lease and its connection before disposing it", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionLocalAfterDispose_ReportsTheConnectionLocal()
    {
        string message = Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                var connection = lease.Connection;
                lease.Dispose();
                return connection.IsOpen;
            }
            """, "connection.IsOpen");

        Assert.StartsWith("'connection', the Connection of 'lease', is used after", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void LeasePassedOnAfterDispose_Reports()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                lease.Dispose();
                Use(lease);
            }
            """, "lease");
    }

    [Fact]
    public void UsingDeclarationReturned_ReportsTheReturn()
    {
        string message = Reports("""
            public Db.Lease Run()
            {
                using var lease = _db.Rent();
                return lease;
            }
            """, "lease");

        Assert.Equal(
            "'lease' is returned after the 'using' at line 8 disposes it on the way out: by then the connection may serve another lease; declare it without 'using', so that the caller disposes the lease it gets",
            message);
    }

    [Fact]
    public void ReturnedThroughAFinallyThatDisposes_ReportsTheReturn()
    {
        string message = Reports("""
            public Db.Lease Run()
            {
                var lease = _db.Rent();
                try
                {
                    return lease;
                }
                finally
                {
                    lease.Dispose();
                }
            }
            """, "lease");

        Assert.Contains("do not dispose a lease you return", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void UsingStatementReturned_Reports()
    {
        Reports("""
            public async Task<Db.Lease> Run()
            {
                await using (var lease = await _db.RentAsync())
                {
                    return lease;
                }
            }
            """, "lease");
    }

    [Fact]
    public void DisposedOnOneBranch_UsedAfterTheMerge_ReportsMay()
    {
        string message = Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    lease.Dispose();
                }

                bool open = lease.Connection.IsOpen;
                lease.Dispose();
                return open;
            }
            """, "lease.Connection");

        Assert.Contains("may have disposed the lease (on some path)", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void CopyUsedAfterTheOriginalIsDisposed_Reports()
    {
        Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                var copy = lease;
                lease.Dispose();
                return copy.Connection.IsOpen;
            }
            """, "copy.Connection");
    }

    [Fact]
    public void UsedAfterHandingToTakesLease_Reports()
    {
        string message = Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                Keep(lease);
                return lease.Connection.IsOpen;
            }
            """, "lease.Connection");

        Assert.Contains("'Keep(lease)' at line 9 disposed the lease", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedInTryThenUsedInCatch_ReportsMay()
    {
        string message = Reports("""
            public bool Run()
            {
                var lease = _db.Rent();
                try
                {
                    Use(lease);
                    lease.Dispose();
                    Use(default);
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return lease.Connection.IsOpen;
                }
            }
            """, "lease.Connection");

        Assert.Contains("on some path", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void UsedAfterDisposeInALoop_ReportsMayOnTheNextTurn()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                for (int i = 0; i < 3; i++)
                {
                    Use(lease);
                    if (i == 2)
                    {
                        lease.Dispose();
                    }
                }
            }
            """, "lease");
    }

    // Nothing to report.

    [Fact]
    public void ConnectionKeptPastAUsingStatement_Reports()
    {
        Reports("""
            public bool Run()
            {
                FakeConnection connection;
                using (var lease = _db.Rent())
                {
                    connection = lease.Connection;
                }

                return connection.IsOpen;
            }
            """, "connection.IsOpen");
    }

    [Fact]
    public void CopyInAUsingDeclaration_ThenTheOriginalUsed_Reports()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                using (var copy = lease)
                {
                }

                Use(lease);
            }
            """, "lease");
    }

    [Fact]
    public void UsedAfterALocalFunctionDisposedIt_Reports()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                void Done() => lease.Dispose();
                Done();
                Use(lease);
            }
            """, "lease");
    }

    [Theory]
    [InlineData("""
        public Db.Lease Run()
        {
            var lease = _db.Rent();
            bool handedOver = false;
            try
            {
                Use(lease);
                handedOver = true;
                return lease;
            }
            finally
            {
                if (!handedOver)
                {
                    lease.Dispose();
                }
            }
        }
        """)]
    [InlineData("""
        public bool Run()
        {
            using var lease = _db.Rent();
            return lease.Connection.IsOpen;
        }
        """)]
    [InlineData("""
        public bool Run()
        {
            var lease = _db.Rent();
            lease.Dispose();
            return lease.IsActive;
        }
        """)]
    [InlineData("""
        public void Run()
        {
            var lease = _db.Rent();
            lease.Dispose();
            lease = _db.Rent();
            Use(lease);
            lease.Dispose();
        }
        """)]
    [InlineData("""
        public void Run()
        {
            for (int i = 0; i < 3; i++)
            {
                using var lease = _db.Rent();
                Use(lease);
            }
        }
        """)]
    [InlineData("""
        public bool Run()
        {
            var lease = _db.Rent();
            if (!lease.Connection.IsOpen)
            {
                lease.Dispose();
                return false;
            }

            Use(lease);
            lease.Dispose();
            return true;
        }
        """)]
    [InlineData("""
        public bool Run()
        {
            Db.Lease lease;
            while (!_db.TryRent(out lease))
            {
            }

            using (lease)
            {
                return lease.Connection.IsOpen;
            }
        }
        """)]
    [InlineData("""
        public Db.Lease Run()
        {
            var lease = _db.Rent();
            try
            {
                Use(lease);
                return lease;
            }
            catch
            {
                lease.Dispose();
                throw;
            }
        }
        """)]
    public void UseBeforeDispose_OrAfterANewRent_ReportsNothing(string members)
    {
        Assert.Empty(Run(members, "POOL103"));
    }
}
