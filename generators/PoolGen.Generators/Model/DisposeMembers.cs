namespace PoolGen.Generators.Model;

/// <summary>How the generated class lets its owner dispose the pool.</summary>
internal enum DisposeMembers
{
    /// <summary>The class implements <c>IDisposable</c>/<c>IAsyncDisposable</c> through generated members.</summary>
    Interfaces,

    /// <summary>The class has Dispose members of its own; the generated ones are named <c>DisposePool</c>/<c>DisposePoolAsync</c>.</summary>
    DisposePool,
}
