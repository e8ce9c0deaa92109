using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints the members added to the user's class: the lazily created engine, the public surface of
/// <c>IConnectionPool&lt;TConnection, TLease&gt;</c>, each a one-line forward to the engine, and the explicit
/// <c>IConfigurablePool</c> members through which hosting code configures the pool before its first use.
/// </summary>
internal static class FacadeEmitter
{
    internal const string Token = Names.CancellationToken + " cancellationToken = default";
    private const string Priority = "global::PoolGen.PoolPriority priority";

    internal static readonly string[] NoParameters = System.Array.Empty<string>();

    public static void Emit(SourceWriter w, PoolModel model)
    {
        string engine = model.EngineAlias;
        string leaseTask = Names.ValueTaskOf("Lease");

        EmitEngine(
            w,
            engine,
            "The pool behind this instance, created on first use.",
            "Adjusts the pool's settings in code, once, before the first use; it has the last word.");

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
        EmitDispose(w, model);
        EmitConfigurable(w);
        EmitCreatePoolEngine(w, model);
    }

    /// <summary>
    /// The engine's field, the lock that creates it, the getter that creates it on first use, and the
    /// <c>ConfigurePool</c> hook: what every generated pool starts with, whatever its engine.
    /// </summary>
    internal static void EmitEngine(SourceWriter w, string engine, string engineSummary, string configureSummary)
    {
        w.Line(Names.GeneratedCode);
        w.Line($"private {engine}? _poolEngine;");
        w.Line();
        // The lock that creates the engine once, and what outside code configured before it exists; created on demand.
        w.Line(Names.GeneratedCode);
        w.Line($"private {Names.PoolSetup}? _poolEngineLock;");
        w.Line();
        Docs.Summary(w, engineSummary);
        w.Line(Names.GeneratedCode);
        Members.Expression(w, $"private {engine} PoolEngine", null, "global::System.Threading.Volatile.Read(ref _poolEngine) ?? CreatePoolEngine()");
        w.Line();

        // No [GeneratedCode] here: attributes of a partial method's two parts merge, so it would mark the user's
        // implementation as generated.
        Docs.Summary(w, configureSummary);
        w.Line("/// <param name=\"options\">The settings from the attribute, then from Configure calls; change them in place.</param>");
        w.Line("partial void ConfigurePool(global::PoolGen.PoolOptions options);");
        w.Line();
    }

    internal static void EmitConfigurable(SourceWriter w)
    {
        Inherited(w, $"bool {Names.ConfigurablePool}.IsCreated", null, "global::System.Threading.Volatile.Read(ref _poolEngine) is not null");
        Inherited(
            w,
            $"void {Names.ConfigurablePool}.Configure",
            new[] { "global::System.Action<global::PoolGen.PoolOptions> configure" },
            $"{Names.PoolSetup}.Configure(this, ref _poolEngine, ref _poolEngineLock, configure)");

        // The engine first: it creates the setup, and records the options it was created with there.
        Docs.Inherited(w);
        w.Line(Names.GeneratedCode);
        w.Open($"global::PoolGen.PoolOptions {Names.ConfigurablePool}.GetOptions()");
        w.Line("_ = PoolEngine;");
        w.Line("return _poolEngineLock!.GetOptions();");
        w.Close();
        w.Line();
    }

    internal static void EmitDispose(SourceWriter w, PoolModel model)
    {
        // IDisposable's and IAsyncDisposable's documentation would not say what disposing does to a pool.
        if (model.DisposeMembers == DisposeMembers.Interfaces)
        {
            w.Line($"/// <inheritdoc cref=\"{Names.ConnectionPool}.Dispose\"/>");
            DisposeMember(w, "public void Dispose", async: false);
            w.Line($"/// <inheritdoc cref=\"{Names.ConnectionPool}.DisposeAsync\"/>");
            DisposeMember(w, $"public {Names.ValueTask} DisposeAsync", async: true);
            return;
        }

        // The class has Dispose members of its own: it keeps them and calls these, and IConnectionPool closes the pool.
        Docs.Summary(w, "Closes the pool; call it from your Dispose, since this class has its own.");
        DisposeMember(w, "public void DisposePool", async: false);
        Docs.Summary(w, "Closes the pool gracefully; call it from your DisposeAsync, since this class has its own.");
        DisposeMember(w, $"public {Names.ValueTask} DisposePoolAsync", async: true);
        Inherited(w, $"void {Names.ConnectionPool}.Dispose", NoParameters, "DisposePool()");
        Inherited(w, $"{Names.ValueTask} {Names.ConnectionPool}.DisposeAsync", NoParameters, "DisposePoolAsync()");
    }

    // A disposed pool leaves the registry of live pools. A pool never used is created without its configuration to be
    // disposed: that configuration may need services that are gone by then.
    private static void DisposeMember(SourceWriter w, string head, bool async)
    {
        w.Line(Names.GeneratedCode);
        w.Open(head + "()");
        w.Line($"{Names.PoolSetup}.Disposing(this, ref _poolEngine, ref _poolEngineLock);");
        w.Line(async ? "return PoolEngine.DisposeAsync();" : "PoolEngine.Dispose();");
        w.Close();
        w.Line();
    }

    internal static void EmitCreatePoolEngine(SourceWriter w, PoolModel model)
    {
        // Kept out of line so the PoolEngine getter, on every rent, stays small enough to inline. The lock is taken only
        // until the engine exists; it runs the configuration once even when first uses race, and IConfigurablePool's
        // Configure takes the same lock, so an action is either run by the creation or refused.
        w.Line(Names.GeneratedCode);
        Members.MethodImpl(w, "NoInlining");
        w.Open($"private {model.EngineAlias} CreatePoolEngine()");
        w.Line($"{Names.PoolSetup} setup = {Names.PoolSetup}.Get(ref _poolEngineLock);");
        w.Open("lock (setup)");
        w.Open("if (_poolEngine is { } existing)");
        w.Line("return existing;");
        w.Close();
        w.Line();
        EmitNewEngine(w, model);
        w.Close();
        w.Close();
    }

    // Attribute, then the configuration added from outside, then the class's ConfigurePool: code has the last word.
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

        if (model.IsMultiHost)
        {
            MultiHostEmitter.EmitNewRouter(w, model);
            return;
        }

        w.Open("if (setup.Apply(options))");
        w.Line("ConfigurePool(options);");
        w.Close();
        w.Line();
        string policy = $"new {Names.PolicyType}({PolicyEmitter.Arguments(model)})";
        w.Line($"var engine = new {model.EngineAlias}(options, {policy});");
        w.Line("global::System.Threading.Volatile.Write(ref _poolEngine, engine);");
        w.Line("setup.Created(this, options, engine.ConfigurationError);");
        w.Line("return engine;");
    }

    // A member of the pool's interfaces, documented there.
    internal static void Inherited(SourceWriter w, string head, string[]? parameters, string body)
    {
        Docs.Inherited(w);
        Forward(w, head, parameters, body);
    }

    // [GeneratedCode] and the declaration with its one-line body, wrapped to fit.
    internal static void Forward(SourceWriter w, string head, string[]? parameters, string body)
    {
        w.Line(Names.GeneratedCode);
        Members.Expression(w, head, parameters, body);
        w.Line();
    }
}
