using Npgsql;
using PoolGen.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PoolGen.IntegrationTests.Postgres;

/// <summary>
/// An open that fails with an error no retry can fix (a database that does not exist, a wrong password: the
/// <c>DbException</c>'s <c>IsTransient</c> is false) fails the rent after one attempt, with the server's error inside;
/// a server that refuses connections may come back, so that is retried <c>MaxRetryAttempts</c> times.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NonTransientErrorTests
{
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(60);

    private const int MaxRetryAttempts = 3; // RetryingPool's

    private readonly PostgresCluster _cluster;
    private readonly ITestOutputHelper _output;
    private readonly string _app = $"poolgen-nontransient-{Guid.NewGuid():N}";

    public NonTransientErrorTests(PostgresCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_WhenTheDatabaseDoesNotExist_FailsAfterOneAttemptWithThePostgresError(bool synchronous)
    {
        string connectionString = new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app))
        {
            Database = $"does_not_exist_{Guid.NewGuid():N}",
        }.ConnectionString;

        PoolConnectionException error = await RentFailingAsync(connectionString, synchronous);

        PostgresException postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, postgres.SqlState); // 3D000
        Assert.False(postgres.IsTransient);
        Assert.True(error.Attempts == 1, $"a missing database was tried {error.Attempts} times; it cannot appear between retries, so once is enough");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_WhenThePasswordIsWrong_FailsAfterOneAttemptWithThePostgresError(bool synchronous)
    {
        await PasswordRole.EnsureAsync(_cluster);

        // The role itself works: only the password is wrong below.
        await using (var right = new NpgsqlConnection(PasswordRole.ConnectionString(_cluster, _app, PasswordRole.Password)))
        {
            await right.OpenAsync();
        }

        PoolConnectionException error = await RentFailingAsync(PasswordRole.ConnectionString(_cluster, _app, "wrong-" + PasswordRole.Password), synchronous);

        PostgresException postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, postgres.SqlState); // 28P01
        Assert.False(postgres.IsTransient);
        Assert.True(
            error.Attempts == 1,
            $"a wrong password was tried {error.Attempts} times; no retry makes it right, and repeated failed logins look like an attack to the server's operators");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rent_WhenTheServerRefusesConnections_RetriesMaxRetryAttemptsTimes(bool synchronous)
    {
        string connectionString = new NpgsqlConnectionStringBuilder(_cluster.ConnectionStringFor(_app))
        {
            Host = "127.0.0.1",
            Port = ClosedPort.Find(),
        }.ConnectionString;

        PoolConnectionException error = await RentFailingAsync(connectionString, synchronous);

        NpgsqlException npgsql = Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        Assert.True(npgsql.IsTransient, $"a refused connection should be transient: {npgsql}");
        Assert.True(
            error.Attempts == MaxRetryAttempts + 1,
            $"a refused connection was tried {error.Attempts} times; with MaxRetryAttempts = {MaxRetryAttempts} it must be tried {MaxRetryAttempts + 1} times");
    }

    /// <summary>Rents once from a <see cref="RetryingPool"/> over <paramref name="connectionString"/>, expecting the open to fail.</summary>
    private async Task<PoolConnectionException> RentFailingAsync(string connectionString, bool synchronous)
    {
        using var limit = new CancellationTokenSource(TestLimit);
        var logger = new RecordingLogger();
        await using var pool = new RetryingPool(connectionString, logger);

        Exception? error = null;
        try
        {
            if (synchronous)
            {
                await Task.Run(() => pool.Rent().Dispose(), limit.Token);
            }
            else
            {
                await using RetryingPool.Lease lease = await pool.RentAsync(limit.Token);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        PoolStats stats = pool.Stats;
        _output.WriteLine($"{(synchronous ? "Rent" : "RentAsync")}: {error?.GetType().Name ?? "a lease"}: {error?.Message}");
        _output.WriteLine($"inner: {error?.InnerException?.GetType().Name}: {error?.InnerException?.Message}");
        _output.WriteLine(stats.ToString());
        _output.WriteLine(logger.Describe());

        PoolConnectionException failed = Assert.IsType<PoolConnectionException>(error);
        Assert.Equal(nameof(RetryingPool), failed.PoolName);
        Assert.Equal((long)failed.Attempts, stats.CreateFailures);
        return failed;
    }
}
