using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints the pool's <c>Lease</c>: a struct over the engine's handle that names the connection type, so a rent
/// allocates nothing and <c>lease.Connection</c> needs no cast.
/// </summary>
internal static class LeaseEmitter
{
    public static void Emit(SourceWriter w, PoolModel model)
    {
        string handle = Names.Handle(model.ConnectionType);

        Docs.Summary(w, "A connection rented from this pool; dispose it (with <c>using</c>) to give the connection back.");
        w.Line(Names.GeneratedCode);
        w.Line("[global::PoolGen.PoolLease]");
        w.Open($"public readonly struct Lease : {Names.Disposable}, {Names.AsyncDisposable}, global::PoolGen.IPoolLease<Lease, {handle}>");
        w.Line($"private readonly {handle} _handle;");
        w.Line();
        w.Line($"private Lease({handle} handle) => _handle = handle;");
        w.Line();
        w.Line("// How the engine hands out this type directly: a waiting rent completes the caller's task itself.");
        w.Line($"static Lease global::PoolGen.IPoolLease<Lease, {handle}>.FromHandle({handle} handle) => new Lease(handle);");
        w.Line();
        w.Line("// How leak detection finds the slot behind a lease, to note where it was rented.");
        w.Line($"{handle} global::PoolGen.IPoolLease<Lease, {handle}>.Handle => _handle;");
        w.Line();
        Docs.Summary(w, "The rented connection. Throws <see cref=\"global::System.ObjectDisposedException\"/> once the lease has been returned, because the connection may belong to another lease by then.");
        w.Line($"public {model.ConnectionType} Connection => _handle.Connection;");
        w.Line();
        Docs.Summary(w, "Whether this lease still holds its connection: false once it is returned, and for an empty lease.");
        w.Line("public bool IsActive => _handle.IsActive;");
        w.Line();
        Docs.Summary(w, "Marks the connection as unusable, for example after an error that broke it: disposing the lease then closes the connection instead of giving it back.");
        w.Line("public void Invalidate() => _handle.Invalidate();");
        w.Line();
        Docs.Summary(w, "Gives the connection back to the pool. Disposing again, or disposing a copy, does nothing.");
        w.Line("public void Dispose() => _handle.Return();");
        w.Line();
        Docs.Summary(w, "Gives the connection back to the pool, running the pool's asynchronous reset or close when it has one.");
        w.Line($"public {Names.ValueTask} DisposeAsync() => _handle.ReturnAsync();");
        w.Close();
    }
}
