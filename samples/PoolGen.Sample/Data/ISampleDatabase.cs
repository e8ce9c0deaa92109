using System;

namespace PoolGen.Sample.Data;

/// <summary>A database set up for one run: seeded, with its pool and repository. Disposing it removes what the run created.</summary>
internal interface ISampleDatabase : IAsyncDisposable
{
    /// <summary>Where the data lives, for the output.</summary>
    string Description { get; }

    /// <summary>The repository the workload uses.</summary>
    IOrderStore Store { get; }
}
