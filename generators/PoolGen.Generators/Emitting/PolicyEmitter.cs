using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints <c>ConnectionPoolPolicy</c>, the struct through which the engine calls the user's methods. It is a struct so
/// the engine, generic over it, is compiled once per pool with those calls inlined and the <c>Has*</c> flags folded.
/// Members for methods the class does not have are left out: <c>IConnectionPolicy</c> gives them default bodies, which
/// the engine never calls while the matching flag is false.
/// </summary>
internal static class PolicyEmitter
{
    private const string StateCheck =
        "is global::System.Data.ConnectionState.Closed or global::System.Data.ConnectionState.Broken";

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

        // Internal rather than private: the public Lease's explicit interface members name a handle typed by it.
        Docs.Summary(w, "Calls this class's factory, validation, reset and close methods for the pool.");
        w.Line(Names.GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        PoolEmitter.Declaration(w, $"internal readonly struct {Names.PolicyType}", $"global::PoolGen.IConnectionPolicy<{c}>");
        w.Open(null);
        EmitConstructor(w, model);

        Flag(w, "HasValidate", lifecycle.Validate is not null);
        Flag(w, "HasReset", lifecycle.Reset is not null);
        Flag(w, "HasIsBroken", lifecycle.IsBroken is not null || lifecycle.StateCheck != Model.StateCheck.None);
        Flag(w, "ValidatesAsynchronously", lifecycle.Validate is { Shape: not ReturnShape.Sync });
        Flag(w, "CreatesAsynchronously", lifecycle.Factory.Shape != ReturnShape.Sync);
        w.Line($"public string FactoryName => \"{model.PoolName}.{lifecycle.Factory.Name.TrimStart('@')}\";");
        w.Line();

        BridgeEmitter.EmitFunction(w, calls, lifecycle.Factory, "factory", "a synchronous Rent",
            sync: new($"public {c} Create", System.Array.Empty<string>()),
            async: new($"public {Names.ValueTaskOf(c)} CreateAsync", new[] { $"{Names.CancellationToken} cancellationToken" }),
            argument: null, asyncToken: "cancellationToken");

        if (lifecycle.Validate is { } validate)
        {
            w.Line();
            BridgeEmitter.EmitFunction(w, calls, validate, "validation method", "a synchronous Rent",
                sync: new("public bool Validate", Connection(c)),
                async: new($"public {Names.ValueTaskOf("bool")} ValidateAsync", Connection(c, token: true)),
                argument: "connection", asyncToken: "cancellationToken");
        }

        EmitIsBroken(w, calls, lifecycle, c);

        if (lifecycle.Reset is { } reset)
        {
            w.Line();
            BridgeEmitter.EmitAction(w, calls, reset, "reset method", "a synchronous return",
                sync: new("public void Reset", Connection(c)),
                async: new($"public {Names.ValueTask} ResetAsync", Connection(c, token: true)),
                asyncToken: "cancellationToken");
        }

        // The interface's CloseAsync has no token: retiring a connection is not something a caller cancels.
        w.Line();
        var close = new BridgeEmitter.Signature("public void Close", Connection(c));
        var closeAsync = new BridgeEmitter.Signature($"public {Names.ValueTask} CloseAsync", Connection(c));
        if (lifecycle.Close is { } closeMethod)
        {
            BridgeEmitter.EmitAction(w, calls, closeMethod, "close method", "a synchronous close", close, closeAsync, Names.NoCancellation);
        }
        else
        {
            DefaultCloseEmitter.Emit(w, close, closeAsync, lifecycle.DefaultClose);
        }

        w.Close();
    }

    /// <summary>The arguments of the policy's constructor in <c>new ConnectionPoolPolicy(...)</c>: the owner and the endpoint, as needed.</summary>
    public static string Arguments(PoolModel model) =>
        (NeedsOwner(model.Lifecycle), model.IsMultiHost) switch
        {
            (true, true) => "this, endpoint",
            (true, false) => "this",
            (false, true) => "endpoint",
            _ => string.Empty,
        };

    // The policy holds the pool's instance when it calls instance methods, and a multi-host pool's endpoint for its factory.
    private static void EmitConstructor(SourceWriter w, PoolModel model)
    {
        bool owner = NeedsOwner(model.Lifecycle);
        if (!owner && !model.IsMultiHost)
        {
            return;
        }

        if (owner)
        {
            w.Line($"private readonly {model.FullTypeName} _owner;");
            w.Line();
        }

        if (model.IsMultiHost)
        {
            w.Line($"private readonly {Names.PoolEndpoint} _endpoint;");
            w.Line();
        }

        if (owner && model.IsMultiHost)
        {
            Members.Block(w, $"public {Names.PolicyType}", new[] { $"{model.FullTypeName} owner", $"{Names.PoolEndpoint} endpoint" });
            w.Line("_owner = owner;");
            w.Line("_endpoint = endpoint;");
            w.Close();
        }
        else if (owner)
        {
            w.Line($"public {Names.PolicyType}({model.FullTypeName} owner) => _owner = owner;");
        }
        else
        {
            w.Line($"public {Names.PolicyType}({Names.PoolEndpoint} endpoint) => _endpoint = endpoint;");
        }

        w.Line();
    }

    // The parameters of a member that takes a connection, and a token when asked.
    private static string[] Connection(string connectionType, bool token = false) =>
        token
            ? new[] { $"{connectionType} connection", $"{Names.CancellationToken} cancellationToken" }
            : new[] { $"{connectionType} connection" };

    private static void Flag(SourceWriter w, string name, bool value)
    {
        w.Line($"public bool {name} => {(value ? "true" : "false")};");
        w.Line();
    }

    private static void EmitIsBroken(SourceWriter w, UserCalls calls, LifecycleModel lifecycle, string c)
    {
        if (lifecycle.IsBroken is { } isBroken)
        {
            w.Line();
            Members.Expression(w, "public bool IsBroken", Connection(c), calls.Call(isBroken, "connection", Names.NoCancellation));
        }
        else if (lifecycle.StateCheck != Model.StateCheck.None)
        {
            string state = lifecycle.StateCheck == Model.StateCheck.Member
                ? "connection.State"
                : "((global::System.Data.IDbConnection)connection).State";
            w.Line();
            w.Line("// CheckConnectionState: the pool never lends or keeps a connection its provider has closed.");
            string check = $"{state} {StateCheck}";
            string[] body = w.Fits(check, deeper: 1) ? new[] { check } : new[] { state, StateCheck };
            Members.Expression(w, "public bool IsBroken", Connection(c), body);
        }
    }
}
