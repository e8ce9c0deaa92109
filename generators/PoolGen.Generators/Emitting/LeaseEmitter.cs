using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints the pool's <c>Lease</c>: a struct over the engine's handle that names the connection type, so a rent
/// allocates nothing and <c>lease.Connection</c> needs no cast. A multi-host pool's lease is the same struct, lent by
/// its endpoints' engines, with the endpoint and role added.
/// </summary>
internal static class LeaseEmitter
{
    public static void Emit(SourceWriter w, PoolModel model)
    {
        string handle = model.HandleAlias;
        string engineSide = $"{Names.EngineLease}<Lease, {handle}>";

        Docs.Summary(
            w,
            model.IsMultiHost
                ? "A connection rented on one of the pool's endpoints; dispose it (with <c>using</c>) to give it back."
                : "A rented connection; dispose it (with <c>using</c>) to give the connection back.");
        w.Line(Names.GeneratedCode);
        w.Line("[global::PoolGen.PoolLease]");
        PoolEmitter.Declaration(w, "public readonly struct Lease", $"{Names.ConnectionLease}<{model.ConnectionType}>", engineSide);
        w.Open(null);
        w.Line($"private readonly {handle} _handle;");
        w.Line();
        w.Line($"private Lease({handle} handle) => _handle = handle;");
        w.Line();
        w.Line("// How the engine hands out this type directly: a waiting rent completes the caller's task itself.");
        Members.Expression(w, $"static Lease {engineSide}.FromHandle", new[] { $"{handle} handle" }, "new(handle)");
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
        if (model.IsMultiHost)
        {
            Docs.Summary(w, "The endpoint this lease's connection belongs to.");
            w.Line($"public {Names.PoolEndpoint} Endpoint => _handle.Endpoint;");
            w.Line();
            Docs.Summary(w, "The endpoint's role as the pool knows it now: the role the rent was routed by, unless a check changed it since.");
            w.Line("public global::PoolGen.EndpointRole Role => _handle.Role;");
            w.Line();
            Docs.Summary(w, "Marks the connection as unusable, and has the pool recheck its endpoint soon: the server may have gone away or changed role.");
        }
        else
        {
            Docs.Inherited(w);
        }

        w.Line("public void Invalidate() => _handle.Invalidate();");
        w.Line();
        Docs.Summary(w, "Gives the connection back; disposing it again, or a copy of it, does nothing.");
        w.Line("public void Dispose() => _handle.Return();");
        w.Line();
        Docs.Summary(w, "Gives the connection back, awaiting the pool's asynchronous reset or close.");
        w.Line($"public {Names.ValueTask} DisposeAsync() => _handle.ReturnAsync();");
        if (model.IsMultiHost)
        {
            EmitSettle(w, model);
        }

        w.Close();
    }

    // The router's slow path lends its own wrapper; the lease inside it is this type, and its endpoint's engine takes over
    // what the wrapper would have ended on return.
    private static void EmitSettle(SourceWriter w, PoolModel model)
    {
        string routed = model.RoutedLeaseAlias;
        w.Line();
        w.Line("// A slow rent that completed at once is unwrapped where it stands; one that waits is awaited with a pooled");
        w.Line("// builder, so neither allocates.");
        Members.Expression(
            w,
            $"internal static {Names.ValueTaskOf("Lease")} Settle",
            new[] { $"{Names.ValueTaskOf(routed)} rent" },
            $"rent.IsCompletedSuccessfully ? new({model.EndpointEngineAlias}.Settle(rent.Result)) : Await(rent)");
        w.Line();
        w.Line("[global::System.Runtime.CompilerServices.AsyncMethodBuilder(");
        w.Continued("typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]");
        Members.Expression(
            w,
            $"private static async {Names.ValueTaskOf("Lease")} Await",
            new[] { $"{Names.ValueTaskOf(routed)} rent" },
            $"{model.EndpointEngineAlias}.Settle(await rent.ConfigureAwait(false))");
    }
}
