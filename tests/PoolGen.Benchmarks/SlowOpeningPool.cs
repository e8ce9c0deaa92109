using System.Threading;
using System.Threading.Tasks;

namespace PoolGen.Benchmarks;

/// <summary>
/// A generated pool whose factory takes about <see cref="OpenDelayMs"/> to open a connection, like a database
/// connection over a network, and which keeps <see cref="WarmUpBenchmarks.Connections"/> connections open.
/// </summary>
[ConnectionPool(Min = WarmUpBenchmarks.Connections, Max = WarmUpBenchmarks.Connections)]
public sealed partial class SlowOpeningPool
{
    /// <summary>How long opening one connection takes.</summary>
    public const int OpenDelayMs = 2;

    /// <summary>The factory: waits <see cref="OpenDelayMs"/>, then returns a connection.</summary>
    public static async ValueTask<FakeConnection> CreateAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(OpenDelayMs, cancellationToken).ConfigureAwait(false);
        return new FakeConnection();
    }
}
