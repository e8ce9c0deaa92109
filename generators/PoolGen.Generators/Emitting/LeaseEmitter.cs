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
        string handle = model.HandleAlias;
        // A multi-host pool's engines lend this per-endpoint lease, which its public Lease wraps.
        string lease = model.IsMultiHost ? Names.EndpointLeaseType : "Lease";
        string engineSide = $"{Names.EngineLease}<{lease}, {handle}>";

        if (model.IsMultiHost)
        {
            Docs.Summary(w, "A connection of one endpoint's pool; the public <see cref=\"Lease\"/> wraps it with where it was routed.");
            w.Line(Names.GeneratedCode);
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            PoolEmitter.Declaration(w, $"internal readonly struct {lease}", $"{Names.ConnectionLease}<{model.ConnectionType}>", engineSide);
        }
        else
        {
            Docs.Summary(w, "A rented connection; dispose it (with <c>using</c>) to give the connection back.");
            w.Line(Names.GeneratedCode);
            w.Line("[global::PoolGen.PoolLease]");
            PoolEmitter.Declaration(w, $"public readonly struct {lease}", $"{Names.ConnectionLease}<{model.ConnectionType}>", engineSide);
        }

        w.Open(null);
        w.Line($"private readonly {handle} _handle;");
        w.Line();
        w.Line($"private {lease}({handle} handle) => _handle = handle;");
        w.Line();
        w.Line("// How the engine hands out this type directly: a waiting rent completes the caller's task itself.");
        Members.Expression(w, $"static {lease} {engineSide}.FromHandle", new[] { $"{handle} handle" }, "new(handle)");
        w.Line();
        w.Line("// How leak detection finds the slot behind a lease, to note where it was rented.");
        Members.Expression(w, $"{handle} {engineSide}.Handle", null, "_handle");
        w.Line();
        Docs.Inherited(w);
        Members.Expression(w, $"public {model.ConnectionType} Connection", null, "_handle.Connection");
        w.Line();
        Docs.Inherited(w);
        w.Line("public bool IsActive => _handle.IsActive;");
        w.Line();
        Docs.Inherited(w);
        w.Line("public void Invalidate() => _handle.Invalidate();");
        w.Line();
        Docs.Summary(w, "Gives the connection back; disposing it again, or a copy of it, does nothing.");
        w.Line("public void Dispose() => _handle.Return();");
        w.Line();
        Docs.Summary(w, "Gives the connection back, awaiting the pool's asynchronous reset or close.");
        w.Line($"public {Names.ValueTask} DisposeAsync() => _handle.ReturnAsync();");
        w.Close();
    }
}
