namespace PoolGen.Generators.Model;

/// <summary>How the connection type disposes itself, for pools that name no Close method.</summary>
/// <param name="Dispose">How to call <c>IDisposable.Dispose</c>.</param>
/// <param name="DisposeAsync">How to call <c>IAsyncDisposable.DisposeAsync</c>.</param>
internal sealed record DefaultCloseModel(DisposeCall Dispose, DisposeCall DisposeAsync);
