using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints the members added to the user's class: the lazily created engine and the public surface of
/// <c>IConnectionPool&lt;TConnection, TLease&gt;</c>, each a one-line forward to the engine.
/// </summary>
internal static class FacadeEmitter
{
    private const string Token = Names.CancellationToken + " cancellationToken = default";
    private const string Priority = "global::PoolGen.PoolPriority priority";

    private static readonly string[] NoParameters = System.Array.Empty<string>();

    public static void Emit(SourceWriter w, PoolModel model)
    {
        string engine = model.EngineAlias;
        string leaseTask = Names.ValueTaskOf("Lease");

        w.Line(Names.GeneratedCode);
        w.Line($"private {engine}? _poolEngine;");
        w.Line();
        w.Line(Names.GeneratedCode);
        w.Line("private object? _poolEngineLock;");
        w.Line();
        Docs.Summary(w, "The pool behind this instance, created on first use.");
        w.Line(Names.GeneratedCode);
        Members.Expression(w, $"private {engine} PoolEngine", null, "global::System.Threading.Volatile.Read(ref _poolEngine) ?? CreatePoolEngine()");
        w.Line();

        // No [GeneratedCode] here: attributes of a partial method's two parts merge, so it would mark the user's
        // implementation as generated.
        Docs.Summary(w, "Adjusts the pool's settings, e.g. from configuration; runs once, before the first use.");
        w.Line("/// <param name=\"options\">The settings from the attribute; change them in place.</param>");
        w.Line("partial void ConfigurePool(global::PoolGen.PoolOptions options);");
        w.Line();

        Inherited(w, "public Lease Rent", NoParameters, "PoolEngine.Rent()");
        Inherited(w, "public Lease Rent", new[] { "global::System.TimeSpan timeout" }, "PoolEngine.Rent(timeout)");
        Inherited(w, $"public {leaseTask} RentAsync", new[] { Token }, "PoolEngine.RentAsync(cancellationToken)");
        Inherited(w, $"public {leaseTask} RentAsync", new[] { "global::System.TimeSpan timeout", Token }, "PoolEngine.RentAsync(timeout, cancellationToken)");
        Inherited(w, "public Lease Rent", new[] { Priority }, "PoolEngine.Rent(priority)");
        Inherited(w, "public Lease Rent", new[] { "global::System.TimeSpan timeout", Priority }, "PoolEngine.Rent(timeout, priority)");
        Inherited(w, $"public {leaseTask} RentAsync", new[] { Priority, Token }, "PoolEngine.RentAsync(priority, cancellationToken)");
        Inherited(
            w, $"public {leaseTask} RentAsync", new[] { "global::System.TimeSpan timeout", Priority, Token }, "PoolEngine.RentAsync(timeout, priority, cancellationToken)");
        Inherited(w, "public bool TryRent", new[] { "out Lease lease" }, "PoolEngine.TryRent(out lease)");
        Inherited(w, $"string {Names.ConnectionPool}.Name", null, "PoolEngine.Name");
        Inherited(w, "public global::PoolGen.PoolStats Stats", null, "PoolEngine.GetStats()");
        Inherited(w, "public global::PoolGen.PoolHealth GetHealth", NoParameters, "PoolEngine.GetHealth()");
        Inherited(w, "public global::PoolGen.PoolLoad? GetLoad", NoParameters, "PoolEngine.GetLoad()");
        Inherited(
            w,
            "public global::System.Collections.Generic.IReadOnlyList<global::PoolGen.PoolAdvice> GetAdvice",
            NoParameters,
            "PoolEngine.GetHealth().Advice");
        Inherited(w, $"public {Names.ValueTaskOf("global::PoolGen.PoolHealth")} CheckHealthAsync", new[] { Token }, "PoolEngine.CheckHealthAsync(cancellationToken)");
        Inherited(w, $"public {Names.ValueTask} WarmUpAsync", new[] { Token }, "PoolEngine.WarmUpAsync(cancellationToken)");
        Inherited(w, "public void Clear", NoParameters, "PoolEngine.Clear()");
        Inherited(w, "public void Resize", new[] { "int min", "int max" }, "PoolEngine.Resize(min, max)");
        EmitDispose(w, model.DisposeMembers);
        EmitCreatePoolEngine(w, model);
    }

    private static void EmitDispose(SourceWriter w, DisposeMembers disposeMembers)
    {
        // IDisposable's and IAsyncDisposable's documentation would not say what disposing does to a pool.
        if (disposeMembers == DisposeMembers.Interfaces)
        {
            w.Line($"/// <inheritdoc cref=\"{Names.ConnectionPool}.Dispose\"/>");
            Forward(w, "public void Dispose", NoParameters, "PoolEngine.Dispose()");
            w.Line($"/// <inheritdoc cref=\"{Names.ConnectionPool}.DisposeAsync\"/>");
            Forward(w, $"public {Names.ValueTask} DisposeAsync", NoParameters, "PoolEngine.DisposeAsync()");
            return;
        }

        // The class has Dispose members of its own: it keeps them and calls these, and IConnectionPool closes the pool.
        Docs.Summary(w, "Closes the pool; call it from your Dispose, since this class has its own.");
        Forward(w, "public void DisposePool", NoParameters, "PoolEngine.Dispose()");
        Docs.Summary(w, "Closes the pool gracefully; call it from your DisposeAsync, since this class has its own.");
        Forward(w, $"public {Names.ValueTask} DisposePoolAsync", NoParameters, "PoolEngine.DisposeAsync()");
        Inherited(w, $"void {Names.ConnectionPool}.Dispose", NoParameters, "PoolEngine.Dispose()");
        Inherited(w, $"{Names.ValueTask} {Names.ConnectionPool}.DisposeAsync", NoParameters, "PoolEngine.DisposeAsync()");
    }

    private static void EmitCreatePoolEngine(SourceWriter w, PoolModel model)
    {
        // Kept out of line so the PoolEngine getter, on every rent, stays small enough to inline. LazyInitializer locks
        // only until the engine exists, and runs the factory once even when first uses race.
        w.Line(Names.GeneratedCode);
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(");
        w.Continued("global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]");
        w.Line($"private {model.EngineAlias} CreatePoolEngine() =>");
        w.Deeper(() =>
        {
            w.Line("global::System.Threading.LazyInitializer.EnsureInitialized(ref _poolEngine, ref _poolEngineLock, () =>");
            w.Open(null);
            EmitNewEngine(w, model);
            w.Close(");");
        });
    }

    private static void EmitNewEngine(SourceWriter w, PoolModel model)
    {
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
        w.Line($"return new {model.EngineAlias}(options, {policy});");
    }

    // A member of the pool's interfaces, documented there.
    private static void Inherited(SourceWriter w, string head, string[]? parameters, string body)
    {
        Docs.Inherited(w);
        Forward(w, head, parameters, body);
    }

    // [GeneratedCode] and the declaration with its one-line body, wrapped to fit.
    private static void Forward(SourceWriter w, string head, string[]? parameters, string body)
    {
        w.Line(Names.GeneratedCode);
        Members.Expression(w, head, parameters, body);
        w.Line();
    }
}
