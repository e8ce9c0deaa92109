using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool104DisposedTwiceTests
{
    private static Diagnostic[] Run(string members) => Pool103UseAfterDisposeTests.Run(members, "POOL104");

    private static string Reports(string members, string at) => AnalyzerHarness.Single(Run(members), "POOL104", at);

    [Fact]
    public void DisposedTwice_ReportsTheSecond_NamingTheFirst()
    {
        string message = Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                lease.Dispose();
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Equal(
            "The lease is disposed twice: 'lease.Dispose()' at line 10 disposes what 'lease.Dispose()' at line 9 disposed; dispose each lease once, through one variable ('using' already disposes it)",
            message);
    }

    [Fact]
    public void DisposedInsideAUsing_ReportsTheExplicitDispose()
    {
        string message = Reports("""
            public void Run()
            {
                using var lease = _db.Rent();
                Use(lease);
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Contains("the 'using' at line 8 disposes what 'lease.Dispose()' at line 10 disposed", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void CopyDisposedAsWell_NamesTheCopy()
    {
        string message = Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                var copy = lease;
                copy.Dispose();
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Contains("disposes a copy of the lease in 'copy', which 'copy.Dispose()' at line 10 disposed", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedOnOneBranchThenAgainAfterTheMerge_ReportsMay()
    {
        string message = Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    lease.Dispose();
                }

                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Contains("may have disposed (on some path)", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void HandedToTakesLeaseThenDisposed_Reports()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                Keep(lease);
                lease.Dispose();
            }
            """, "lease.Dispose()");
    }

    [Fact]
    public void UsingStatementOverADisposedLease_Reports()
    {
        Reports("""
            public async Task Run()
            {
                var lease = await _db.RentAsync();
                await lease.DisposeAsync();
                await using (lease)
                {
                }
            }
            """, "lease.DisposeAsync()");
    }

    [Fact]
    public void DisposedInALoopBody_ReportsTheNextTurn()
    {
        Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                for (int i = 0; i < 3; i++)
                {
                    lease.Dispose();
                }
            }
            """, "lease.Dispose()");
    }

    // A lease received as a parameter is borrowed: its caller disposes it.

    [Fact]
    public void BorrowedParameterDisposed_Reports_SuggestingTakesLease()
    {
        string message = Reports("""
            public static void Close(Db.Lease lease)
            {
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Equal(
            "The lease is disposed twice: 'lease' is a parameter without [TakesLease], so the caller still owns the lease and disposes it as well; leave disposing it to the caller, or mark the parameter [TakesLease] if this method takes the lease over",
            message);
    }

    [Fact]
    public void BorrowedParameterInAUsing_Reports()
    {
        Assert.Single(Run("""
            public static bool Check(Db.Lease lease)
            {
                using (lease)
                {
                    return lease.Connection.IsOpen;
                }
            }
            """));
    }

    [Fact]
    public void TakesLeaseParameterDisposedTwice_Reports()
    {
        Reports("""
            public static void Close([TakesLease] Db.Lease lease)
            {
                lease.Dispose();
                lease.Dispose();
            }
            """, "lease.Dispose()");
    }

    [Fact]
    public void LocalFunctionThatDisposesTheLease_ThenDisposedAgain_Reports()
    {
        string message = Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                void Done() => lease.Dispose();
                Done();
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Contains("'Done()' at line 10 disposed", message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void DelegateThatDisposesTheLease_InvokedThenDisposedAgain_Reports()
    {
        string message = Reports("""
            public void Run()
            {
                var lease = _db.Rent();
                Action done = () => lease.Dispose();
                done();
                lease.Dispose();
            }
            """, "lease.Dispose()");

        Assert.Contains("'done()' at line 10 disposed", message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("using var connection = lease.Connection; _ = connection.IsOpen;")]
    [InlineData("using (var connection = lease.Connection) { _ = connection.IsOpen; }")]
    [InlineData("var connection = lease.Connection; connection.Dispose();")]
    public void ConnectionDisposed_IsNotACopyOfTheLease_OnlyPool106(string body)
    {
        string source = $$"""
            public sealed class Orders
            {
                private readonly Db _db = new Db();

                public void Run()
                {
                    using var lease = _db.Rent();
                    {{body}}
                }
            }
            """;

        Diagnostic[] diagnostics = AnalyzerHarness.Run(source);

        Assert.Equal(new[] { "POOL106" }, System.Array.ConvertAll(diagnostics, d => d.Id));
    }

    [Fact]
    public void TakesLeaseOnTheBaseOrInterfaceMember_CoversTheOverrideAndTheImplementation()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new PoolGen.Analyzers.Usage.LeaseLifetimeAnalyzer(), """
            public abstract class Sink
            {
                public abstract void Take([TakesLease] Db.Lease lease);
            }

            public class Closer : Sink
            {
                public override void Take(Db.Lease lease) => lease.Dispose();
            }

            public sealed class LoudCloser : Closer
            {
                public override void Take(Db.Lease lease) => lease.Dispose();
            }

            public interface ITaker
            {
                void Take([TakesLease] Db.Lease lease);
            }

            public sealed class Taker : ITaker
            {
                public void Take(Db.Lease lease) => lease.Dispose();
            }

            public sealed class ExplicitTaker : ITaker
            {
                void ITaker.Take(Db.Lease lease) => lease.Dispose();
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void OverrideOfAMemberWithoutTakesLease_StillReportsTheBorrow()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new PoolGen.Analyzers.Usage.LeaseLifetimeAnalyzer(), """
            public abstract class Sink
            {
                public abstract void Take(Db.Lease lease);
            }

            public sealed class Closer : Sink
            {
                public override void Take(Db.Lease lease) => lease.Dispose();
            }
            """);

        AnalyzerHarness.Single(diagnostics, "POOL104", "lease.Dispose()");
    }

    // Nothing to report.

    [Theory]
    [InlineData("""
        public static void Close([TakesLease] Db.Lease lease) => lease.Dispose();
        """)]
    [InlineData("""
        public static bool Check(Db.Lease lease) => lease.Connection.IsOpen;
        """)]
    [InlineData("""
        public void Run()
        {
            var lease = _db.Rent();
            if (_flag)
            {
                lease.Dispose();
                return;
            }

            lease.Dispose();
        }
        """)]
    [InlineData("""
        public void Run()
        {
            for (int i = 0; i < 3; i++)
            {
                var lease = _db.Rent();
                lease.Dispose();
            }
        }
        """)]
    [InlineData("""
        public void Run()
        {
            var lease = _db.Rent();
            var copy = lease;
            Use(copy);
            lease.Dispose();
        }
        """)]
    [InlineData("""
        public void Run(Db.Lease[] leases)
        {
            Array.ForEach(leases, lease => lease.Dispose());
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
        """)]
    [InlineData("""
        public void Run()
        {
            var lease = _db.Rent();
            try
            {
                Use(lease);
            }
            finally
            {
                lease.Dispose();
            }
        }
        """)]
    public void DisposedOnce_ReportsNothing(string members)
    {
        Assert.Empty(Run(members));
    }
}
