using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace PoolGen.Benchmarks;

/// <summary>
/// Start-up: a new pool whose factory takes about 2 ms brought to <c>Min</c> = <see cref="Connections"/> by
/// <c>WarmUpAsync</c>, which opens them in parallel, against opening as many one after another.
/// </summary>
[MemoryDiagnoser]
public class WarmUpBenchmarks
{
    /// <summary>Connections opened per invocation, the pool's <c>Min</c> and <c>Max</c>.</summary>
    public const int Connections = 20;

    private readonly FakeConnection[] _opened = new FakeConnection[Connections];

    [Benchmark(Baseline = true, Description = "20 sequential opens")]
    public async Task Sequential()
    {
        for (int i = 0; i < Connections; i++)
        {
            _opened[i] = await SlowOpeningPool.CreateAsync(default).ConfigureAwait(false);
        }
    }

    [Benchmark(Description = "PoolGen: WarmUpAsync, Min = 20")]
    public async Task PoolGenWarmUp()
    {
        await using var pool = new SlowOpeningPool();
        await pool.WarmUpAsync().ConfigureAwait(false);
    }
}
