using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints what a multi-host pool (a factory that takes the <c>PoolEndpoint</c>, a <c>RoleCheck</c>) declares instead of
/// the single-server facade: rents by workload forwarded to a <c>MultiHostPool</c> router over one engine per endpoint,
/// the endpoints' stats and health, the <c>ConfigureHosts</c> hook, and a <c>Lease</c> that wraps the router's lease.
/// </summary>
internal static class MultiHostEmitter
{
    private const string Timeout = "global::System.TimeSpan timeout";
    private const string Workload = Names.Workload + " workload";

    public static void EmitFacade(SourceWriter w, PoolModel model)
    {
        string router = model.EngineAlias;
        string leaseTask = Names.ValueTaskOf("Lease");
        string[] none = FacadeEmitter.NoParameters;

        FacadeEmitter.EmitEngine(
            w,
            router,
            "The router over the endpoints' pools, created on first use.",
            "Adjusts the pool's settings in code, once, before the first use; it has the last word. Set the endpoints here or in configuration.");
        Docs.Summary(w, "Sets how the pool routes (balancer, routes, quotas, recheck intervals), once, after <c>ConfigurePool</c>.");
        w.Line("/// <param name=\"options\">The routing settings, with the endpoints, name and acquire timeout of the pool's options.</param>");
        w.Line($"partial void ConfigureHosts({Names.MultiHostOptions}<{model.ConnectionType}> options);");
        w.Line();

        FacadeEmitter.Inherited(w, "public Lease Rent", none, "new(PoolEngine.Rent())");
        FacadeEmitter.Inherited(w, "public Lease Rent", new[] { Timeout }, "new(PoolEngine.Rent(timeout))");
        FacadeEmitter.Inherited(w, $"public {leaseTask} RentAsync", new[] { FacadeEmitter.Token }, "Lease.From(PoolEngine.RentAsync(cancellationToken))");
        FacadeEmitter.Inherited(
            w, $"public {leaseTask} RentAsync", new[] { Timeout, FacadeEmitter.Token }, "Lease.From(PoolEngine.RentAsync(timeout, cancellationToken))");

        Docs.Summary(w, "Rents for <paramref name=\"workload\"/>, which decides the endpoints and the quota, waiting up to the acquire timeout.");
        FacadeEmitter.Forward(w, "public Lease Rent", new[] { Workload }, "new(PoolEngine.Rent(workload))");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/>, waiting up to <paramref name=\"timeout\"/>.");
        FacadeEmitter.Forward(w, "public Lease Rent", new[] { Workload, Timeout }, "new(PoolEngine.Rent(workload, timeout))");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/> asynchronously; completes at once, allocating nothing, when the chosen endpoint has an idle connection.");
        FacadeEmitter.Forward(
            w, $"public {leaseTask} RentAsync", new[] { Workload, FacadeEmitter.Token }, "Lease.From(PoolEngine.RentAsync(workload, cancellationToken))");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/> asynchronously, waiting up to <paramref name=\"timeout\"/>.");
        FacadeEmitter.Forward(
            w,
            $"public {leaseTask} RentAsync",
            new[] { Workload, Timeout, FacadeEmitter.Token },
            "Lease.From(PoolEngine.RentAsync(workload, timeout, cancellationToken))");

        Docs.Inherited(w);
        EmitTryRent(w, "public bool TryRent(out Lease lease)", "PoolEngine.TryRent(out ");
        Docs.Summary(w, "Rents an idle connection for <paramref name=\"workload\"/> only if one can be had at once: no waiting, no opening.");
        EmitTryRent(w, $"public bool TryRent({Workload}, out Lease lease)", "PoolEngine.TryRent(workload, out ");

        FacadeEmitter.Inherited(w, $"string {Names.ConnectionPool}.Name", null, "PoolEngine.Name");
        FacadeEmitter.Inherited(w, "public global::PoolGen.PoolStats Stats", null, "PoolEngine.Stats");
        FacadeEmitter.Inherited(w, "public global::PoolGen.PoolHealth GetHealth", none, "PoolEngine.GetHealth()");
        FacadeEmitter.Inherited(
            w, $"public {Names.ValueTaskOf("global::PoolGen.PoolHealth")} CheckHealthAsync", new[] { FacadeEmitter.Token }, "PoolEngine.CheckHealthAsync(cancellationToken)");
        FacadeEmitter.Inherited(w, $"public {Names.ValueTask} WarmUpAsync", new[] { FacadeEmitter.Token }, "PoolEngine.WarmUpAsync(cancellationToken)");
        FacadeEmitter.Inherited(w, "public void Clear", none, "PoolEngine.Clear()");
        FacadeEmitter.Inherited(w, "public void Resize", new[] { "int min", "int max" }, "PoolEngine.Resize(min, max)");

        string list = "global::System.Collections.Generic.IReadOnlyList";
        Docs.Summary(w, "The endpoints, in the order of the options.");
        FacadeEmitter.Forward(w, $"public {list}<{Names.PoolEndpoint}> Endpoints", null, "PoolEngine.Endpoints");
        Docs.Summary(w, "Each endpoint's role, state and own pool's stats, in the order of the options.");
        FacadeEmitter.Forward(w, $"public {list}<global::PoolGen.EndpointStats> GetEndpointStats", none, "PoolEngine.GetEndpointStats()");
        Docs.Summary(w, "Each endpoint's routing state and its own pool's health; no I/O.");
        FacadeEmitter.Forward(w, $"public {list}<global::PoolGen.EndpointHealth> GetEndpointHealth", none, "PoolEngine.GetEndpointHealth()");
        Docs.Summary(w, "Each workload's route and quota, with the leases it holds when it has a quota.");
        FacadeEmitter.Forward(w, $"public {list}<global::PoolGen.WorkloadStats> GetWorkloadStats", none, "PoolEngine.GetWorkloadStats()");

        FacadeEmitter.EmitDispose(w, model);
        FacadeEmitter.EmitConfigurable(w);
        FacadeEmitter.EmitCreatePoolEngine(w, model);
    }

    /// <summary>
    /// After the options exist: the routing options from them and the role check, the class's <c>ConfigureHosts</c>, and
    /// the router with one pool per endpoint, each with the policy of its endpoint.
    /// </summary>
    public static void EmitNewRouter(SourceWriter w, PoolModel model)
    {
        w.Line("bool configured = setup.Apply(options);");
        w.Open("if (configured)");
        w.Line("ConfigurePool(options);");
        w.Close();
        w.Line();
        w.Line($"var hosts = {Names.MultiHostOptions}<{model.ConnectionType}>.For(");
        w.Continued("options,");
        w.Continued(RoleCheckLambda(model.RoleCheck!) + ");");
        w.Open("if (configured)");
        w.Line("ConfigureHosts(hosts);");
        w.Close();
        w.Line();
        w.Line($"var engine = new {model.EngineAlias}(");
        w.Continued("hosts,");
        w.Continued($"endpoint => new {model.EndpointPoolAlias}(options, endpoint, new {Names.PolicyType}({PolicyEmitter.Arguments(model)})));");
        w.Line("global::System.Threading.Volatile.Write(ref _poolEngine, engine);");
        w.Line("setup.Created(this, options, engine.ConfigurationError);");
        w.Line("return engine;");
    }

    public static void EmitLease(SourceWriter w, PoolModel model)
    {
        string c = model.ConnectionType;
        string routed = model.RoutedLeaseAlias;

        Docs.Summary(w, "A connection rented on one of the pool's endpoints; dispose it (with <c>using</c>) to give it back.");
        w.Line(Names.GeneratedCode);
        w.Line("[global::PoolGen.PoolLease]");
        w.Line($"public readonly struct Lease : {Names.ConnectionLease}<{c}>");
        w.Open(null);
        w.Line($"private readonly {routed} _lease;");
        w.Line();
        w.Line($"internal Lease({routed} lease) => _lease = lease;");
        w.Line();
        Docs.Inherited(w);
        Members.Expression(w, $"public {c} Connection", null, "_lease.Connection");
        w.Line();
        Docs.Inherited(w);
        w.Line("public bool IsActive => _lease.IsActive;");
        w.Line();
        Docs.Summary(w, "The endpoint this lease's connection belongs to.");
        w.Line($"public {Names.PoolEndpoint} Endpoint => _lease.Endpoint;");
        w.Line();
        Docs.Summary(w, "The endpoint's role as the pool knows it now: the role the rent was routed by, unless a check changed it since.");
        w.Line("public global::PoolGen.EndpointRole Role => _lease.Role;");
        w.Line();
        Docs.Summary(w, "Marks the connection as unusable, and has the pool recheck its endpoint soon: the server may have gone away or changed role.");
        w.Line("public void Invalidate() => _lease.Invalidate();");
        w.Line();
        Docs.Summary(w, "Gives the connection back; disposing it again, or a copy of it, does nothing.");
        w.Line("public void Dispose() => _lease.Dispose();");
        w.Line();
        Docs.Summary(w, "Gives the connection back, awaiting the endpoint pool's asynchronous reset or close.");
        w.Line($"public {Names.ValueTask} DisposeAsync() => _lease.DisposeAsync();");
        w.Line();
        w.Line("// A rent that completed at once is wrapped where it stands; one that waits is awaited with a pooled builder,");
        w.Line("// so neither allocates.");
        Members.Expression(
            w,
            $"internal static {Names.ValueTaskOf("Lease")} From",
            new[] { $"{Names.ValueTaskOf(routed)} rent" },
            "rent.IsCompletedSuccessfully ? new(new Lease(rent.Result)) : Await(rent)");
        w.Line();
        w.Line("[global::System.Runtime.CompilerServices.AsyncMethodBuilder(");
        w.Continued("typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]");
        Members.Expression(
            w,
            $"private static async {Names.ValueTaskOf("Lease")} Await",
            new[] { $"{Names.ValueTaskOf(routed)} rent" },
            "new(await rent.ConfigureAwait(false))");
        w.Close();
    }

    // TryRent hands its out parameter through: the router's lease, wrapped, empty when nothing was rented.
    private static void EmitTryRent(SourceWriter w, string declaration, string call)
    {
        w.Line(Names.GeneratedCode);
        w.Open(declaration);
        w.Line($"bool rented = {call}var routed);");
        w.Line("lease = new(routed);");
        w.Line("return rented;");
        w.Close();
        w.Line();
    }

    // The routing options' RoleCheck delegate over the method the attribute names, whatever its shape.
    private static string RoleCheckLambda(UserMethodModel roleCheck)
    {
        string call = roleCheck.TakesCancellationToken
            ? $"{roleCheck.Name}(connection, cancellationToken)"
            : $"{roleCheck.Name}(connection)";
        string parameters = roleCheck.TakesCancellationToken ? "(connection, _, cancellationToken)" : "(connection, _, _)";
        return roleCheck.Shape == ReturnShape.ValueTask ? $"{parameters} => {call}" : $"{parameters} => new({call})";
    }
}
