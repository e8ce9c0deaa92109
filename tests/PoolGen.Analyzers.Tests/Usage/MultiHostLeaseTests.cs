using System.Linq;
using Microsoft.CodeAnalysis;
using PoolGen.Analyzers.Tests.Infrastructure;

namespace PoolGen.Analyzers.Tests.Usage;

/// <summary>A generated multi-host pool's leases are watched as any pool's: rents by workload, and TryRent with its lease second.</summary>
public sealed class MultiHostLeaseTests
{
    private const string Pool = """
        [ConnectionPool(RoleCheck = nameof(RoleOf))]
        public sealed partial class ReplicasDb
        {
            private FakeConnection Create(PoolEndpoint endpoint) => new FakeConnection();
            private static EndpointRole RoleOf(FakeConnection connection) => EndpointRole.Primary;
        }
        """;

    private static Diagnostic[] Run(string body)
    {
        string source = Pool + $$"""

            public sealed class Reports
            {
                private readonly ReplicasDb _db = new ReplicasDb();

                public async Task<bool> RunAsync(bool early, CancellationToken ct)
                {
                    {{body}}
                }
            }
            """;
        Assert.Empty(AnalyzerHarness.CompileErrors(source));
        return AnalyzerHarness.Run(source).Where(d => d.Id != "POOL108").ToArray();
    }

    [Theory]
    [InlineData("var lease = _db.Rent(Workload.ReadOnly); if (early) return false; lease.Dispose(); await Task.Yield(); return true;", "POOL101", "_db.Rent(Workload.ReadOnly)")]
    [InlineData("var lease = await _db.RentAsync(Workload.Analytics, ct); if (early) return false; await lease.DisposeAsync(); return true;", "POOL101", "_db.RentAsync(Workload.Analytics, ct)")]
    [InlineData("await Task.Yield(); return _db.Rent(Workload.ReadOnly).Connection.IsOpen;", "POOL102", "_db.Rent(Workload.ReadOnly)")]
    [InlineData("await Task.Yield(); return _db.TryRent(Workload.Analytics, out _);", "POOL102", "_db.TryRent(Workload.Analytics, out _)")]
    [InlineData("using var lease = _db.Rent(Workload.ReadOnly); await Task.Yield(); return lease.IsActive;", "POOL107", "_db.Rent(Workload.ReadOnly)")]
    public void Misuse_OfAMultiHostLease_IsReportedAsForAnyLease(string body, string id, string at)
    {
        Diagnostic diagnostic = Assert.Single(Run(body), d => d.Id == id);

        Assert.Equal(at, AnalyzerHarness.Text(diagnostic));
    }

    [Fact]
    public void CorrectUse_OfAMultiHostLease_RaisesNothing()
    {
        Assert.Empty(Run("await using var lease = await _db.RentAsync(Workload.ReadWrite, ct); return lease.Role == EndpointRole.Primary && !early;"));
    }
}
