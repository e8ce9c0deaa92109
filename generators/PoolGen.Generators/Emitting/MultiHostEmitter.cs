using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints what a multi-host pool (a factory that takes the <c>PoolEndpoint</c>, a <c>RoleCheck</c>) declares instead of
/// the single-server facade: rents by workload, each taking the router's fast route to one endpoint's engine when it can
/// and the <c>MultiHostPool</c> router's slow path when it cannot; the endpoints' stats and health, and the
/// <c>ConfigureHosts</c> hook. Its <c>Lease</c> is the engines' own.
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

        string settle = model.EndpointEngineAlias + ".Settle";
        Docs.Inherited(w);
        EmitFastRent(w, model, "public Lease Rent", none, "router.DefaultWorkload", "lease", $"{settle}(router.Rent())");
        FacadeEmitter.Inherited(w, "public Lease Rent", new[] { Timeout }, $"{settle}(PoolEngine.Rent(timeout))");
        Docs.Inherited(w);
        EmitFastRent(
            w,
            model,
            $"public {leaseTask} RentAsync",
            new[] { FacadeEmitter.Token },
            "router.DefaultWorkload",
            "new(lease)",
            "Lease.Settle(router.RentAsync(cancellationToken))",
            "!cancellationToken.IsCancellationRequested");
        FacadeEmitter.Inherited(
            w, $"public {leaseTask} RentAsync", new[] { Timeout, FacadeEmitter.Token }, "Lease.Settle(PoolEngine.RentAsync(timeout, cancellationToken))");

        Docs.Summary(w, "Rents for <paramref name=\"workload\"/>, which decides the endpoints and the quota, waiting up to the acquire timeout.");
        EmitFastRent(w, model, "public Lease Rent", new[] { Workload }, "workload", "lease", $"{settle}(router.Rent(workload))");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/>, waiting up to <paramref name=\"timeout\"/>.");
        FacadeEmitter.Forward(w, "public Lease Rent", new[] { Workload, Timeout }, $"{settle}(PoolEngine.Rent(workload, timeout))");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/> asynchronously; completes at once, allocating nothing, when the chosen endpoint has an idle connection.");
        EmitFastRent(
            w,
            model,
            $"public {leaseTask} RentAsync",
            new[] { Workload, FacadeEmitter.Token },
            "workload",
            "new(lease)",
            "Lease.Settle(router.RentAsync(workload, cancellationToken))",
            "!cancellationToken.IsCancellationRequested");
        Docs.Summary(w, "Rents for <paramref name=\"workload\"/> asynchronously, waiting up to <paramref name=\"timeout\"/>.");
        FacadeEmitter.Forward(
            w,
            $"public {leaseTask} RentAsync",
            new[] { Workload, Timeout, FacadeEmitter.Token },
            "Lease.Settle(PoolEngine.RentAsync(workload, timeout, cancellationToken))");

        Docs.Inherited(w);
        EmitTryRent(w, model, "public bool TryRent(out Lease lease)", "router.DefaultWorkload", "router.TryRent(out ");
        Docs.Summary(w, "Rents an idle connection for <paramref name=\"workload\"/> only if one can be had at once: no waiting, no opening.");
        EmitTryRent(w, model, $"public bool TryRent({Workload}, out Lease lease)", "workload", "router.TryRent(workload, out ");

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
        w.Continued($"endpoint => new {model.EndpointEngineAlias}(options, endpoint, new {Names.PolicyType}({PolicyEmitter.Arguments(model)})));");
        w.Line("global::System.Threading.Volatile.Write(ref _poolEngine, engine);");
        w.Line("setup.Created(this, options, engine.ConfigurationError);");
        w.Line("return engine;");
    }

    // A rent with the fast path first: the router's turn names an endpoint engine with an idle connection ready; else
    // the router's slow path, whose lease is unwrapped.
    private static void EmitFastRent(
        SourceWriter w, PoolModel model, string head, string[] parameters, string workload, string served, string slow, string? guard = null)
    {
        w.Line(Names.GeneratedCode);
        Members.Block(w, head, parameters);
        w.Line("var router = PoolEngine;");
        string fast = $"{model.EndpointEngineAlias}.TryRentRouted(router, {workload}, out Lease lease)";
        if (guard is null)
        {
            w.Line($"return {fast}");
        }
        else
        {
            w.Line($"return {guard}");
            w.Continued($"&& {fast}");
        }

        w.Continued($"? {served}");
        w.Continued($": {slow};");
        w.Close();
        w.Line();
    }

    // TryRent takes the fast path, then the router's own TryRent, whose lease (empty when nothing was rented) is unwrapped.
    private static void EmitTryRent(SourceWriter w, PoolModel model, string declaration, string workload, string call)
    {
        w.Line(Names.GeneratedCode);
        w.Open(declaration);
        w.Line("var router = PoolEngine;");
        w.Open($"if ({model.EndpointEngineAlias}.TryRentRouted(router, {workload}, out lease))");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.Line($"bool rented = {call}var routed);");
        w.Line($"lease = {model.EndpointEngineAlias}.Settle(routed);");
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
