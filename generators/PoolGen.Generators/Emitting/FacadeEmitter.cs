using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints the members added to the user's class: the lazily created engine and the public Rent/Stats/Dispose surface,
/// each a one-line forward to the engine.
/// </summary>
internal static class FacadeEmitter
{
    public static void Emit(SourceWriter w, PoolModel model)
    {
        string engine = Names.Engine(model.ConnectionType);
        string leaseTask = Names.ValueTaskOf("Lease");

        w.Line(Names.GeneratedCode);
        w.Line($"private {engine}? _poolEngine;");
        w.Line();
        w.Line("/// <summary>The pool behind this instance, created on first use.</summary>");
        w.Line(Names.GeneratedCode);
        w.Line($"private {engine} PoolEngine =>");
        w.Continued("global::System.Threading.Volatile.Read(ref _poolEngine) ?? CreatePoolEngine();");
        w.Line();

        // No [GeneratedCode] here: attributes of a partial method's two parts merge, so it would mark the user's
        // implementation as generated.
        Docs.Summary(w, "Overrides the pool's settings (for example from configuration) before the pool is first used. Implement it in your part of the class. It may run more than once when first uses race, and only one result is kept, so keep it free of side effects.");
        w.Line("/// <param name=\"options\">The settings from the attribute; change them in place.</param>");
        w.Line("partial void ConfigurePool(global::PoolGen.PoolOptions options);");
        w.Line();

        Member(w, "Rents a connection, waiting up to the pool's acquire timeout when none is free. Dispose the lease to give it back.",
            "public Lease Rent() => PoolEngine.Rent();");
        Member(w, "Rents a connection, waiting up to <paramref name=\"timeout\"/> when none is free. Dispose the lease to give it back.",
            "public Lease Rent(global::System.TimeSpan timeout) => PoolEngine.Rent(timeout);");
        Member(w, "Rents a connection, waiting asynchronously up to the pool's acquire timeout when none is free. Dispose the lease to give it back.",
            $"public {leaseTask} RentAsync({Names.CancellationToken} cancellationToken = default) =>",
            "PoolEngine.RentAsync(cancellationToken);");
        Member(w, "Rents a connection, waiting asynchronously up to <paramref name=\"timeout\"/> when none is free. Dispose the lease to give it back.",
            $"public {leaseTask} RentAsync(global::System.TimeSpan timeout, {Names.CancellationToken} cancellationToken = default) =>",
            "PoolEngine.RentAsync(timeout, cancellationToken);");

        Member(w, "Rents an idle connection only if one can be had without waiting or opening. When it returns false, <paramref name=\"lease\"/> is empty and needs no disposing.",
            "public bool TryRent(out Lease lease) => PoolEngine.TryRent(out lease);");

        Member(w, "A snapshot of the pool's sizes and counters.",
            "public global::PoolGen.PoolStats Stats => PoolEngine.GetStats();");
        Member(w, "The pool's health from what it knows now, without any I/O: status, issues in plain sentences, and its latest check.",
            "public global::PoolGen.PoolHealth GetHealth() => PoolEngine.GetHealth();");
        Member(w, "Checks the pool by validating an idle connection (or opening one when none is idle), then reports its health.",
            $"public global::System.Threading.Tasks.ValueTask<global::PoolGen.PoolHealth> CheckHealthAsync({Names.CancellationToken} cancellationToken = default) =>",
            "PoolEngine.CheckHealthAsync(cancellationToken);");
        Member(w, "Opens connections up to the pool's minimum now, so the first rents do not wait for them.",
            $"public {Names.ValueTask} WarmUpAsync({Names.CancellationToken} cancellationToken = default) =>",
            "PoolEngine.WarmUpAsync(cancellationToken);");
        Member(w, "Closes every idle connection now and every leased one when it comes back, for example after a failover.",
            "public void Clear() => PoolEngine.Clear();");
        Member(w, "Changes the pool's minimum and maximum number of connections while it runs.",
            "public void Resize(int min, int max) => PoolEngine.Resize(min, max);");
        EmitDispose(w, model.DisposeMembers);
        EmitCreatePoolEngine(w, model, engine);
    }

    private static void EmitDispose(SourceWriter w, DisposeMembers disposeMembers)
    {
        if (disposeMembers == DisposeMembers.Interfaces)
        {
            Member(w, "Closes the pool: rents fail from now on, and every connection is closed.",
                "public void Dispose() => PoolEngine.Dispose();");
            Member(w, "Closes the pool gracefully: rents fail from now on, leases get up to the shutdown timeout to come back, then every connection is closed.",
                $"public {Names.ValueTask} DisposeAsync() => PoolEngine.DisposeAsync();");
            return;
        }

        Member(w, "Closes the pool: rents fail from now on, and every connection is closed. This class has Dispose methods of its own, so call this from your Dispose.",
            "public void DisposePool() => PoolEngine.Dispose();");
        Member(w, "Closes the pool gracefully: rents fail from now on, leases get up to the shutdown timeout to come back, then every connection is closed. This class has Dispose methods of its own, so call this from your DisposeAsync.",
            $"public {Names.ValueTask} DisposePoolAsync() => PoolEngine.DisposeAsync();");
    }

    private static void EmitCreatePoolEngine(SourceWriter w, PoolModel model, string engine)
    {
        // Kept out of line so the PoolEngine getter, on every rent, stays small enough to inline.
        w.Line(Names.GeneratedCode);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Open($"private {engine} CreatePoolEngine()");
        string newOptions = $"var options = new global::PoolGen.PoolOptions(\"{model.PoolName}\")";
        if (model.Options.Count == 0)
        {
            w.Line(newOptions + ";");
        }
        else
        {
            w.Line(newOptions);
            w.Line("{");
            foreach (PoolOptionModel option in model.Options)
            {
                w.Continued($"{option.Name} = {option.Literal},");
            }

            w.Line("};");
        }

        w.Line("ConfigurePool(options);");
        string policy = PolicyEmitter.NeedsOwner(model.Lifecycle) ? $"new {Names.PolicyType}(this)" : $"new {Names.PolicyType}()";
        w.Line($"var engine = new {engine}(options, {policy});");
        w.Line();
        w.Line("// Two first uses may race: one engine wins and the other, never started, is dropped.");
        w.Line("return global::System.Threading.Interlocked.CompareExchange(ref _poolEngine, engine, null) ?? engine;");
        w.Close();
    }

    // A public member: its summary, [GeneratedCode], its declaration and, when the body is long, the body on the next line.
    private static void Member(SourceWriter w, string summary, string declaration, string? body = null)
    {
        Docs.Summary(w, summary);
        w.Line(Names.GeneratedCode);
        w.Line(declaration);
        if (body is not null)
        {
            w.Continued(body);
        }

        w.Line();
    }
}
