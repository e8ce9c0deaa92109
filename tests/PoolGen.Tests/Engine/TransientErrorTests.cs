using PoolGen.Tests.Fakes;

namespace PoolGen.Tests.Engine;

/// <summary>
/// A failed open is retried unless the provider says no retry will mend it (DbException.IsTransient is false). Only a
/// provider that implements IsTransient is believed: the base class answers false for everything.
/// </summary>
public sealed class TransientErrorTests
{
    [Fact]
    public void Rent_RetriesAFailedOpenUnlessTheProviderSaysTheErrorIsNotTransient()
    {
        Assert.Equal(1, AttemptsUntilGivingUp(new PermanentDbException("password authentication failed"), out string message));
        Assert.Contains("did not retry", message);
        Assert.Contains("PermanentDbException: password authentication failed", message);

        // A provider that says "transient", and one that never says anything (SqlClient, Microsoft.Data.Sqlite), keep their retries.
        Assert.Equal(3 + 1, AttemptsUntilGivingUp(new TransientDbException("the server closed the connection"), out message));
        Assert.DoesNotContain("did not retry", message);
        Assert.Equal(3 + 1, AttemptsUntilGivingUp(new SilentDbException("a network-related error occurred"), out message));
        Assert.DoesNotContain("did not retry", message);
    }

    [Fact]
    public async Task RentAsync_WhenTheProviderSaysTheErrorIsNotTransient_DoesNotRetry()
    {
        var database = new FakeDatabase { FailWith = new PermanentDbException("database \"orders\" does not exist") };
        await using var pool = new AsyncFakePool(database, o => { o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });

        var error = await Assert.ThrowsAsync<PoolConnectionException>(async () => await pool.RentAsync());

        Assert.Equal(1, error.Attempts);
        Assert.Same(database.FailWith, error.InnerException);
        Assert.Contains("did not retry", error.Message);
        Assert.Equal((1L, 0, 0), (pool.Stats.CreateFailures, pool.Stats.Total, pool.Stats.Opening));
    }

    private static int AttemptsUntilGivingUp(Exception failure, out string message)
    {
        var database = new FakeDatabase { FailWith = failure };
        using var pool = new FakePool(database, o => { o.MaxRetryAttempts = 3; o.RetryDelayMs = 1; });
        var error = Assert.Throws<PoolConnectionException>(() => pool.Rent());
        Assert.Same(failure, error.InnerException);
        Assert.Equal(error.Attempts, pool.Stats.CreateFailures);
        message = error.Message;
        return error.Attempts;
    }
}
