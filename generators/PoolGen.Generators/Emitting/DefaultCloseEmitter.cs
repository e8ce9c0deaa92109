using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>Prints Close/CloseAsync for a pool without a Close method: the connection type's own Dispose/DisposeAsync.</summary>
internal static class DefaultCloseEmitter
{
    public static void Emit(SourceWriter w, string connectionType, DefaultCloseModel close)
    {
        string sync = $"public void Close({connectionType} connection)";
        string async = $"public {Names.ValueTask} CloseAsync({connectionType} connection)";
        string? dispose = Call(close.Dispose, Names.Disposable, "Dispose");
        string? disposeAsync = Call(close.DisposeAsync, Names.AsyncDisposable, "DisposeAsync");

        switch (dispose, disposeAsync)
        {
            case (not null, not null):
                BridgeEmitter.ExpressionMember(w, sync, dispose);
                w.Line();
                BridgeEmitter.ExpressionMember(w, async, disposeAsync);
                break;

            case (not null, null):
                BridgeEmitter.ExpressionMember(w, sync, dispose);
                w.Line();
                w.Open(async);
                w.Line(dispose + ";");
                w.Line("return default;");
                w.Close();
                break;

            case (null, not null):
                w.Line("// The connection type can only be disposed asynchronously, so a synchronous close has to wait for it.");
                BridgeEmitter.ExpressionMember(w, sync, $"{disposeAsync}.AsTask().GetAwaiter().GetResult()");
                w.Line();
                BridgeEmitter.ExpressionMember(w, async, disposeAsync);
                break;

            default:
                w.Line("// The connection type has no Dispose or DisposeAsync, and no Close method is named: there is nothing to close.");
                w.Line(sync);
                w.Line("{");
                w.Line("}");
                w.Line();
                BridgeEmitter.ExpressionMember(w, async, "default");
                break;
        }
    }

    // A cast reaches an explicit interface implementation; a public member is called directly, as a person would.
    private static string? Call(DisposeCall call, string interfaceName, string method) => call switch
    {
        DisposeCall.Member => $"connection.{method}()",
        DisposeCall.Interface => $"(({interfaceName})connection).{method}()",
        _ => null,
    };
}
