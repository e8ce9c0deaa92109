using Microsoft.Extensions.Logging;
using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// A pool over connections that Npgsql also pools (its default) closes nothing when it closes a connection: the
/// connection goes back to Npgsql's pool, and <c>Clear()</c> cannot reach it. The pool says so once, as a warning that
/// mentions Pooling; with <c>Pooling=false</c> it says nothing of the kind.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderPoolingTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-providerpool-{Guid.NewGuid():N}";

    public ProviderPoolingTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    // "absent": no Pooling key at all, so Npgsql's default (true) applies.
    [Theory]
    [InlineData("absent", 1)]
    [InlineData("true", 1)]
    [InlineData("false", 0)]
    public async Task Rents_WithProviderPooling_AreWarnedAboutOnceAndOnlyWhenItIsOn(string pooling, int expectedWarnings)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var builder = new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app));
        if (pooling == "absent")
        {
            builder.Remove("Pooling");
        }
        else
        {
            builder.Pooling = bool.Parse(pooling);
        }

        string connectionString = builder.ConnectionString;
        var logger = new RecordingLogger();
        try
        {
            await using (var pool = new ProviderPoolingPool(connectionString, logger))
            {
                // Several opens: three leases held together, twice, with a Clear() between so the second round opens again.
                for (int round = 0; round < 2; round++)
                {
                    var leases = new ProviderPoolingPool.Lease[3];
                    for (int i = 0; i < leases.Length; i++)
                    {
                        leases[i] = await pool.RentAsync(limit.Token);
                        Assert.True(await PostgresProbe.RespondsAsync(leases[i].Connection, limit.Token));
                    }

                    foreach (ProviderPoolingPool.Lease lease in leases)
                    {
                        await lease.DisposeAsync();
                    }

                    pool.Clear();
                }

                _output.WriteLine($"connection string: {connectionString}");
                _output.WriteLine(pool.Stats.ToString());
                Assert.True(pool.Stats.Created >= 6, $"the test meant to open six connections, the pool opened {pool.Stats.Created}");
            }

            _output.WriteLine(logger.Describe());
            List<LogEntry> warnings = logger.Entries
                .Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Pooling", StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.True(
                warnings.Count == expectedWarnings,
                $"with Pooling {pooling} the pool logged {warnings.Count} warnings that mention Pooling over six opens; expected {expectedWarnings}. " +
                $"Everything logged:{Environment.NewLine}{logger.Describe()}");
        }
        finally
        {
            // Npgsql's own pool for this connection string still holds the backends the pool "closed".
            await using var any = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(any);
        }
    }
}
