using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints <c>ConnectionPoolPolicy</c>, the struct through which the engine calls the user's methods. It is a struct so
/// the engine, generic over it, is compiled once per pool with those calls inlined and the <c>Has*</c> flags folded.
/// </summary>
internal static class PolicyEmitter
{
    /// <summary>Whether any user method is an instance method, so the policy has to hold the pool's instance.</summary>
    public static bool NeedsOwner(LifecycleModel lifecycle) =>
        !lifecycle.Factory.IsStatic
        || lifecycle.Validate is { IsStatic: false }
        || lifecycle.Reset is { IsStatic: false }
        || lifecycle.Close is { IsStatic: false }
        || lifecycle.IsBroken is { IsStatic: false };

    public static void Emit(SourceWriter w, PoolModel model)
    {
        string c = model.ConnectionType;
        LifecycleModel lifecycle = model.Lifecycle;
        var calls = new UserCalls(model.FullTypeName);

        // Internal rather than private: the public Lease's internal constructor takes a handle typed by this struct.
        Docs.Summary(w, "Calls this class's factory, validation, broken-connection check, reset and close methods for the pool.");
        w.Line(Names.GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open($"internal readonly struct {Names.PolicyType} : global::PoolGen.IConnectionPolicy<{c}>");
        if (NeedsOwner(lifecycle))
        {
            w.Line($"private readonly {model.FullTypeName} _owner;");
            w.Line();
            w.Line($"public {Names.PolicyType}({model.FullTypeName} owner) => _owner = owner;");
            w.Line();
        }

        w.Line($"public bool HasValidate => {(lifecycle.Validate is null ? "false" : "true")};");
        w.Line();
        w.Line($"public bool HasReset => {(lifecycle.Reset is null ? "false" : "true")};");
        w.Line();
        w.Line($"public bool HasIsBroken => {(lifecycle.IsBroken is null && lifecycle.StateCheck == StateCheck.None ? "false" : "true")};");
        w.Line();
        w.Line($"public bool ValidatesAsynchronously => {(lifecycle.Validate is { Shape: not ReturnShape.Sync } ? "true" : "false")};");
        w.Line();
        w.Line($"public bool CreatesAsynchronously => {(lifecycle.Factory.Shape == ReturnShape.Sync ? "false" : "true")};");
        w.Line();
        w.Line($"public string FactoryName => \"{model.PoolName}.{lifecycle.Factory.Name.TrimStart('@')}\";");
        w.Line();

        BridgeEmitter.EmitFunction(w, calls, lifecycle.Factory, "factory", "a synchronous Rent",
            sync: $"public {c} Create()",
            async: $"public {Names.ValueTaskOf(c)} CreateAsync({Names.CancellationToken} cancellationToken)",
            resultType: c, argument: null, asyncToken: "cancellationToken");
        w.Line();

        if (lifecycle.Validate is { } validate)
        {
            BridgeEmitter.EmitFunction(w, calls, validate, "validation method", "a synchronous Rent",
                sync: $"public bool Validate({c} connection)",
                async: $"public {Names.ValueTaskOf("bool")} ValidateAsync({c} connection, {Names.CancellationToken} cancellationToken)",
                resultType: "bool", argument: "connection", asyncToken: "cancellationToken");
        }
        else
        {
            w.Line("// No validation method: HasValidate is false, so the engine never calls these.");
            w.Line($"public bool Validate({c} connection) => true;");
            w.Line();
            w.Line($"public {Names.ValueTaskOf("bool")} ValidateAsync({c} connection, {Names.CancellationToken} cancellationToken) =>");
            w.Continued($"new {Names.ValueTaskOf("bool")}(true);");
        }

        w.Line();
        if (lifecycle.IsBroken is { } isBroken)
        {
            BridgeEmitter.ExpressionMember(w, $"public bool IsBroken({c} connection)", calls.Call(isBroken, "connection", Names.NoCancellation));
        }
        else if (lifecycle.StateCheck != StateCheck.None)
        {
            string state = lifecycle.StateCheck == StateCheck.Member ? "connection.State" : "((global::System.Data.IDbConnection)connection).State";
            w.Line("// CheckConnectionState: the pool never lends or keeps a connection its provider has closed.");
            BridgeEmitter.ExpressionMember(w, $"public bool IsBroken({c} connection)",
                $"{state} is global::System.Data.ConnectionState.Closed or global::System.Data.ConnectionState.Broken");
        }
        else
        {
            w.Line("// No IsBroken method: HasIsBroken is false, so the engine never calls this.");
            w.Line($"public bool IsBroken({c} connection) => false;");
        }

        w.Line();
        if (lifecycle.Reset is { } reset)
        {
            BridgeEmitter.EmitAction(w, calls, reset, "reset method", "a synchronous return",
                sync: $"public void Reset({c} connection)",
                async: $"public {Names.ValueTask} ResetAsync({c} connection, {Names.CancellationToken} cancellationToken)",
                asyncToken: "cancellationToken");
        }
        else
        {
            w.Line("// No reset method: HasReset is false, so the engine never calls these.");
            w.Line($"public void Reset({c} connection)");
            w.Line("{");
            w.Line("}");
            w.Line();
            BridgeEmitter.ExpressionMember(w, $"public {Names.ValueTask} ResetAsync({c} connection, {Names.CancellationToken} cancellationToken)", "default");
        }

        w.Line();
        if (lifecycle.Close is { } close)
        {
            // The interface's CloseAsync has no token: retiring a connection is not something a caller cancels.
            BridgeEmitter.EmitAction(w, calls, close, "close method", "a synchronous close",
                sync: $"public void Close({c} connection)",
                async: $"public {Names.ValueTask} CloseAsync({c} connection)",
                asyncToken: Names.NoCancellation);
        }
        else
        {
            DefaultCloseEmitter.Emit(w, c, lifecycle.DefaultClose);
        }

        w.Close();
    }
}
