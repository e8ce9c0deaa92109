namespace PoolGen.Tests.Fakes;

/// <summary>Waits, bounded, for a state another thread produces.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, string? what = null)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within 10 s: {what ?? "the expected pool state"}.");
            }

            await Task.Delay(5);
        }
    }
}
