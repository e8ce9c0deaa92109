using System.Diagnostics;

namespace PoolGen.IntegrationTests.Infrastructure;

/// <summary>
/// Polls for a condition that another process makes true in its own time (a server backend exiting after its client
/// closed). Every wait is bounded; on timeout the caller's assertion fails with the last value seen.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(15);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? limit = null)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan bound = limit ?? DefaultLimit;
        T value = await probe();
        while (!done(value) && stopwatch.Elapsed < bound)
        {
            await Task.Delay(25);
            value = await probe();
        }

        return value;
    }
}
