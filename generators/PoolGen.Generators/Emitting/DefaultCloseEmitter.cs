using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>Prints Close/CloseAsync for a pool without a Close method: the connection type's own Dispose/DisposeAsync.</summary>
internal static class DefaultCloseEmitter
{
    public static void Emit(SourceWriter w, BridgeEmitter.Signature sync, BridgeEmitter.Signature async, DefaultCloseModel close)
    {
        string? dispose = Call(close.Dispose, Names.Disposable, "Dispose");
        string? disposeAsync = Call(close.DisposeAsync, Names.AsyncDisposable, "DisposeAsync");

        switch (dispose, disposeAsync)
        {
            case (not null, not null):
                Members.Expression(w, sync.Head, sync.Parameters, dispose);
                w.Line();
                Members.Expression(w, async.Head, async.Parameters, disposeAsync);
                break;

            case (not null, null):
                Members.Expression(w, sync.Head, sync.Parameters, dispose);
                w.Line();
                BridgeEmitter.CompletedAction(w, async, dispose);
                break;

            case (null, not null):
                w.Line("// The connection type can only be disposed asynchronously, so a synchronous close has to wait for it.");
                Members.Expression(w, sync.Head, sync.Parameters, $"{disposeAsync}.AsTask().GetAwaiter().GetResult()");
                w.Line();
                Members.Expression(w, async.Head, async.Parameters, disposeAsync);
                break;

            default:
                w.Line("// The connection type has no Dispose or DisposeAsync, and no Close method is named: nothing to close.");
                Members.Block(w, sync.Head, sync.Parameters);
                w.Close();
                w.Line();
                Members.Expression(w, async.Head, async.Parameters, "default");
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
