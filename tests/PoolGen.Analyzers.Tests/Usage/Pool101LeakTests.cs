using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;
using PoolGen.Analyzers.Usage;

namespace PoolGen.Analyzers.Tests.Usage;

public sealed class Pool101LeakTests
{
    private static Diagnostic[] Run(string members)
    {
        string source = $$"""
            public sealed class Orders
            {
                private readonly Db _db = new Db();
                private Db.Lease _kept;
                private bool _flag;
                private int _kind;

                {{members}}

                private static void Use(Db.Lease lease) => _ = lease.Connection;

                private static void Keep([TakesLease] Db.Lease lease) => lease.Dispose();
            }
            """;
        Assert.Empty(AnalyzerHarness.CompileErrors(source));

        // The analyzer reports POOL108 as well, for leaks on exception paths only: Pool108ExceptionLeakTests has those.
        return AnalyzerHarness.Run(new LeaseLeakAnalyzer(), source).Where(d => d.Id == "POOL101").ToArray();
    }

    private static void Leaks(string members, string at, string reason)
    {
        string message = AnalyzerHarness.Single(Run(members), "POOL101", at);
        Assert.Contains(reason, message, System.StringComparison.Ordinal);
    }

    // Leaks.

    [Fact]
    public void NeverDisposed_ReportsAtTheRent()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                Use(lease);
            }
            """, "_db.Rent()", "'lease' still holds it where the method ends");
    }

    [Fact]
    public void EarlyReturnBeforeDispose_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    return;
                }

                lease.Dispose();
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void ThrowBeforeDispose_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    throw new InvalidOperationException("no");
                }

                lease.Dispose();
            }
            """, "_db.Rent()", "at a 'throw'");
    }

    [Fact]
    public void ContinueInALoopSkippingDispose_Reports()
    {
        Leaks("""
            public void Run()
            {
                for (int i = 0; i < 3; i++)
                {
                    var lease = _db.Rent();
                    if (i == 1)
                    {
                        continue;
                    }

                    lease.Dispose();
                }
            }
            """, "_db.Rent()", "'lease'");
    }

    [Fact]
    public void ReassignedWhileHolding_ReportsTheFirstRent()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                lease = _db.Rent(TimeSpan.FromSeconds(1));
                lease.Dispose();
            }
            """, "_db.Rent()", "'lease' is assigned again while it holds it");
    }

    [Fact]
    public void DisposedOnlyInCatch_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                try
                {
                    Use(lease);
                }
                catch (Exception)
                {
                    lease.Dispose();
                    throw;
                }
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void DisposedOnlyUnderACondition_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    lease.Dispose();
                }
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void SwitchBranchMissingDispose_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                switch (_kind)
                {
                    case 0:
                        lease.Dispose();
                        break;
                    case 1:
                        break;
                    default:
                        lease.Dispose();
                        break;
                }
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void ReturnedOnOnePathDroppedOnAnother_Reports()
    {
        Leaks("""
            public Db.Lease? Run()
            {
                var lease = _db.Rent();
                if (_flag)
                {
                    return lease;
                }

                return null;
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void AwaitedRentNeverDisposed_ReportsAtTheCall()
    {
        Leaks("""
            public async Task RunAsync(CancellationToken ct)
            {
                var lease = await _db.RentAsync(ct).ConfigureAwait(false);
                Use(lease);
            }
            """, "_db.RentAsync(ct)", "where the method ends");
    }

    [Fact]
    public void CallerDroppingAHelpersLease_ReportsAtTheCaller_NotInTheHelper()
    {
        Leaks("""
            private Db.Lease Take()
            {
                var lease = _db.Rent();
                return lease;
            }

            public void Run()
            {
                var lease = Take();
                Use(lease);
            }
            """, "Take()", "where the method ends");
    }

    [Fact]
    public void TryRentSuccessBranchNotDisposed_Reports()
    {
        Leaks("""
            public void Run()
            {
                if (_db.TryRent(out var lease))
                {
                    Use(lease);
                }
            }
            """, "_db.TryRent(out var lease)", "where the method ends");
    }

    [Fact]
    public void LeakInALambda_ReportsInTheLambda()
    {
        Leaks("""
            public Action Later() => () =>
            {
                var lease = _db.Rent();
                Use(lease);
            };
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void TwoLeaks_ReportEachOnce()
    {
        Diagnostic[] diagnostics = Run("""
            public void Run()
            {
                for (int i = 0; i < 3; i++)
                {
                    var first = _db.Rent();
                    var second = _db.Rent(TimeSpan.Zero);
                    if (i == 2)
                    {
                        return;
                    }
                }
            }
            """);

        Assert.Equal(new[] { "_db.Rent()", "_db.Rent(TimeSpan.Zero)" }, diagnostics.Select(AnalyzerHarness.Text));
    }

    [Fact]
    public void LeakInTopLevelStatements_Reports()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseLeakAnalyzer(), OutputKind.ConsoleApplication, """
            var db = new Db();
            var lease = db.Rent();
            if (args.Length > 0)
            {
                return;
            }

            lease.Dispose();
            await Task.Yield();
            """);

        AnalyzerHarness.Single(diagnostics, "POOL101", "db.Rent()");
    }

    [Fact]
    public void LeakInAConstructorAndALocalFunction_Reports()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseLeakAnalyzer(), """
            public sealed class Opener
            {
                public Opener(Db db)
                {
                    var lease = db.Rent();
                    Check();

                    void Check()
                    {
                        var inner = db.Rent(TimeSpan.Zero);
                        _ = inner.Connection;
                    }
                }
            }
            """);

        Assert.Equal(new[] { "db.Rent()", "db.Rent(TimeSpan.Zero)" }, diagnostics.Select(AnalyzerHarness.Text));
    }

    [Fact]
    public void TryRentInAWhileLoopNotDisposed_Reports()
    {
        Leaks("""
            public int Drain()
            {
                int count = 0;
                while (_db.TryRent(out var lease))
                {
                    count++;
                }

                return count;
            }
            """, "_db.TryRent(out var lease)", "'lease'");
    }

    [Fact]
    public void ThrowCaughtByACatchThatReturns_Reports()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                try
                {
                    if (_flag)
                    {
                        throw new InvalidOperationException("no");
                    }
                }
                catch (InvalidOperationException)
                {
                    return;
                }

                lease.Dispose();
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void RentInAConditionalExpression_ReportsAtTheExpression()
    {
        Leaks("""
            public void Run()
            {
                var lease = _flag ? _db.Rent() : _db.Rent(TimeSpan.Zero);
                Use(lease);
            }
            """, "_flag ? _db.Rent() : _db.Rent(TimeSpan.Zero)", "where the method ends");
    }

    [Fact]
    public void RentInASwitchExpression_ReportsAtTheExpression()
    {
        Leaks("""
            public void Run()
            {
                var lease = _kind switch { 0 => _db.Rent(), _ => _db.Rent(TimeSpan.Zero) };
                if (_flag)
                {
                    return;
                }

                lease.Dispose();
            }
            """, "_kind switch { 0 => _db.Rent(), _ => _db.Rent(TimeSpan.Zero) }", "where the method ends");
    }

    [Fact]
    public void TryRentResultInABoolLocal_SuccessBranchNotDisposed_Reports()
    {
        Leaks("""
            public void Run()
            {
                bool ok = _db.TryRent(out var lease);
                if (ok)
                {
                    Use(lease);
                }
            }
            """, "_db.TryRent(out var lease)", "where the method ends");
    }

    [Fact]
    public void LeasesAddedToALocalListNeverDisposed_Reports()
    {
        Leaks("""
            public int Run()
            {
                var leases = new System.Collections.Generic.List<Db.Lease>();
                for (int i = 0; i < 3; i++)
                {
                    leases.Add(_db.Rent());
                }

                return leases.Count;
            }
            """, "_db.Rent()", "'leases' still holds it where the method ends");
    }

    [Fact]
    public void LeaseLocalAddedToALocalQueue_ReportsTheRent()
    {
        Leaks("""
            public void Run()
            {
                var queue = new System.Collections.Generic.Queue<Db.Lease>();
                var lease = _db.Rent();
                queue.Enqueue(lease);
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void LeaseStoredInALocalArrayNeverDisposed_Reports()
    {
        Leaks("""
            public int Run()
            {
                var leases = new Db.Lease[2];
                leases[0] = _db.Rent();
                return leases.Length;
            }
            """, "_db.Rent()", "'leases' still holds it where the method ends");
    }

    [Fact]
    public void FlagClearedOnOnePath_StillReportsTheLeak()
    {
        Leaks("""
            public void Run()
            {
                var lease = _db.Rent();
                bool done = true;
                if (_flag)
                {
                    done = false;
                }

                if (done)
                {
                    lease.Dispose();
                }
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void FlagSetWithTheLease_NeverDisposed_StillReports()
    {
        Leaks("""
            public void Run()
            {
                Db.Lease lease = default;
                bool rented = false;
                if (_flag)
                {
                    lease = _db.Rent();
                    rented = true;
                }

                Use(lease);
            }
            """, "_db.Rent()", "where the method ends");
    }

    [Fact]
    public void TakesLeaseInheritedFromTheBaseOrTheInterface_EndsTheObligation()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseLeakAnalyzer(), """
            public abstract class Sink
            {
                public abstract void Take([TakesLease] Db.Lease lease);
            }

            public sealed class Closer : Sink
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

            public static class Callers
            {
                public static void Run(Db db, Closer closer, Taker taker)
                {
                    var first = db.Rent();
                    closer.Take(first);
                    var second = db.Rent();
                    taker.Take(second);
                }
            }
            """);

        Assert.DoesNotContain(diagnostics, d => d.Id == "POOL101");
    }

    // No leak.

    [Theory]
    [InlineData("using var lease = _db.Rent(); Use(lease); if (_flag) { return; } Use(lease);")]
    [InlineData("using (var lease = _db.Rent()) { if (_flag) { throw new InvalidOperationException(); } Use(lease); }")]
    [InlineData("var lease = _db.Rent(); try { if (_flag) { return; } Use(lease); } finally { lease.Dispose(); }")]
    [InlineData("var lease = _db.Rent(); try { if (_flag) { throw new InvalidOperationException(); } } finally { lease.Dispose(); }")]
    [InlineData("var lease = _db.Rent(); using (lease) { Use(lease); }")]
    [InlineData("var lease = _db.Rent(); Use(lease); lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); if (_flag) { lease.Dispose(); return; } lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); switch (_kind) { case 0: lease.Dispose(); break; default: lease.Dispose(); break; }")]
    [InlineData("for (int i = 0; i < 3; i++) { var lease = _db.Rent(); if (i == 1) { lease.Dispose(); continue; } lease.Dispose(); }")]
    [InlineData("var lease = _db.Rent(); try { Use(lease); } catch (Exception) { lease.Dispose(); throw; } lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); lease.Dispose(); lease = _db.Rent(); lease.Dispose();")]
    [InlineData("var lease = _db.Rent(); var copy = lease; copy.Dispose();")]
    [InlineData("var lease = _db.Rent(); Keep(lease);")]
    [InlineData("var lease = _db.Rent(); _kept = lease;")]
    [InlineData("var lease = _db.Rent(); Action done = () => lease.Dispose(); done();")]
    [InlineData("var lease = _db.Rent(); void Done() => lease.Dispose(); Done();")]
    [InlineData("if (_db.TryRent(out var lease)) { lease.Dispose(); }")]
    [InlineData("if (!_db.TryRent(out var lease)) { return; } Use(lease); lease.Dispose();")]
    [InlineData("if (!_db.TryRent(out Db.Lease lease)) { return; } using (lease) { Use(lease); }")]
    [InlineData("if (_flag && _db.TryRent(out var lease)) { using (lease) { Use(lease); } }")]
    [InlineData("_db.TryRent(out var lease); lease.Dispose();")]
    [InlineData("using (_db.Rent()) { }")]
    [InlineData("while (_db.TryRent(out var lease)) { lease.Dispose(); }")]
    [InlineData("bool ok = _db.TryRent(out var lease); if (!ok) { return; } lease.Dispose();")]
    [InlineData("var ok = _db.TryRent(out var lease); if (ok) { using (lease) { Use(lease); } }")]
    [InlineData("using var lease = _flag ? _db.Rent() : _db.Rent(TimeSpan.Zero); Use(lease);")]
    [InlineData("var lease = _kind switch { 0 => _db.Rent(), _ => default }; lease.Dispose();")]
    [InlineData("try { using var lease = _db.Rent(); Use(lease); } catch (Exception) { }")]
    [InlineData("try { using var lease = _db.Rent(); if (_flag) { throw new InvalidOperationException(); } } catch (InvalidOperationException) { return; }")]
    [InlineData("var lease = _db.Rent(); try { Use(lease); lease.Dispose(); } catch (Exception) { }")]
    [InlineData("Db.Lease lease = default; try { lease = _db.Rent(); Use(lease); } finally { lease.Dispose(); }")]
    [InlineData("using var lease = _db.Rent(); try { Use(lease); } catch (InvalidOperationException) when (_flag) { throw; }")]
    [InlineData("var lease = _db.Rent(); try { Use(lease); } catch (Exception) { throw; } finally { lease.Dispose(); }")]
    [InlineData("for (int i = 0; i < 3; i++) { using var lease = _db.Rent(); if (i == 1) { break; } if (i == 2) { continue; } }")]
    [InlineData("var leases = new System.Collections.Generic.List<Db.Lease>(); leases.Add(_db.Rent()); foreach (var l in leases) { l.Dispose(); }")]
    [InlineData("var leases = new System.Collections.Generic.List<Db.Lease>(); var lease = _db.Rent(); leases.Add(lease); leases.ForEach(l => l.Dispose());")]
    [InlineData("var leases = new Db.Lease[2]; leases[0] = _db.Rent(); leases[1] = _db.Rent(); foreach (var l in leases) { l.Dispose(); }")]
    [InlineData("var leases = new System.Collections.Generic.List<Db.Lease>(); try { leases.Add(_db.Rent()); } finally { foreach (var l in leases) { l.Dispose(); } }")]
    [InlineData("Db.Lease lease = default; bool rented = false; if (_flag) { lease = _db.Rent(); rented = true; } Use(lease); if (rented) { lease.Dispose(); }")]
    [InlineData("Db.Lease lease = default; var rented = false; try { if (_flag) { lease = _db.Rent(); rented = true; } Use(lease); } finally { if (rented) { lease.Dispose(); } }")]
    [InlineData("var lease = _db.Rent(); bool open = true; while (open) { open = _flag; } lease.Dispose();")]
    public void DisposedOrHandedOn_ReportsNothing(string body)
    {
        Assert.Empty(Run($$"""
            public void Run()
            {
                {{body}}
            }
            """));
    }

    [Fact]
    public void AsyncShapes_ReportNothing()
    {
        Assert.Empty(Run("""
            public async Task RunAsync(CancellationToken ct)
            {
                await using var lease = await _db.RentAsync(ct);
                Use(lease);
            }

            public async Task ExplicitAsync(CancellationToken ct)
            {
                var lease = await _db.RentAsync(ct).ConfigureAwait(false);
                try
                {
                    Use(lease);
                }
                finally
                {
                    await lease.DisposeAsync();
                }
            }

            public async Task OnTheThreadPoolAsync()
            {
                var lease = _db.Rent();
                await Task.Run(() =>
                {
                    using (lease)
                    {
                        Use(lease);
                    }
                });
            }
            """));
    }

    [Fact]
    public void ReturnedLeases_ReportNothing_InTheHelperOrTheCallerThatDisposes()
    {
        Assert.Empty(Run("""
            private Db.Lease Take()
            {
                var lease = _db.Rent();
                return lease;
            }

            private Db.Lease TakeOrWait()
            {
                if (_db.TryRent(out var lease))
                {
                    return lease;
                }

                return _db.Rent();
            }

            private async ValueTask<Db.Lease> TakeAsync(CancellationToken ct)
            {
                var lease = await _db.RentAsync(ct);
                return lease;
            }

            public void Run()
            {
                using var lease = Take();
                using var other = TakeOrWait();
                Use(lease);
            }
            """));
    }

    [Fact]
    public void HandWrittenLeaseClass_WithNullChecks_ReportsNothing()
    {
        Diagnostic[] diagnostics = AnalyzerHarness.Run(new LeaseLeakAnalyzer(), """
            [PoolLease]
            public sealed class MyLease : IDisposable
            {
                public static MyLease? Take() => new MyLease();

                public void Dispose() { }
            }

            public static class Leases
            {
                public static void Use()
                {
                    using var lease = MyLease.Take();
                }

                public static void Checked()
                {
                    var lease = MyLease.Take();
                    if (lease != null)
                    {
                        lease.Dispose();
                    }
                }
            }
            """);

        Assert.Empty(diagnostics);
    }
}
