using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints a policy member pair (sync and async) over one user method, bridging whichever shape the user wrote:
/// a synchronous method is wrapped in a completed <c>ValueTask</c>, an asynchronous one is waited on in the
/// synchronous member.
/// </summary>
internal static class BridgeEmitter
{
    /// <summary>One side of a pair: the declaration up to its parameters, and the parameters.</summary>
    public readonly record struct Signature(string Head, string[] Parameters);

    /// <summary>A pair returning a result: Create/CreateAsync or Validate/ValidateAsync.</summary>
    public static void EmitFunction(
        SourceWriter w, UserCalls calls, UserMethodModel method, string what, string waiter,
        Signature sync, Signature async, string? argument, string asyncToken)
    {
        string syncCall = calls.Call(method, argument, Names.NoCancellation);
        string asyncCall = calls.Call(method, argument, asyncToken);

        WaitComment(w, method, what, waiter);
        Members.Expression(w, sync.Head, sync.Parameters, Wait(w, method, syncCall));
        w.Line();
        Members.Expression(w, async.Head, async.Parameters, method.Shape == ReturnShape.ValueTask ? asyncCall : $"new({asyncCall})");
    }

    /// <summary>A pair with no result: Reset/ResetAsync or Close/CloseAsync.</summary>
    public static void EmitAction(
        SourceWriter w, UserCalls calls, UserMethodModel method, string what, string waiter,
        Signature sync, Signature async, string asyncToken)
    {
        string syncCall = calls.Call(method, "connection", Names.NoCancellation);
        string asyncCall = calls.Call(method, "connection", asyncToken);

        WaitComment(w, method, what, waiter);
        Members.Expression(w, sync.Head, sync.Parameters, Wait(w, method, syncCall));
        w.Line();
        switch (method.Shape)
        {
            case ReturnShape.ValueTask:
                Members.Expression(w, async.Head, async.Parameters, asyncCall);
                break;
            case ReturnShape.Task:
                Members.Expression(w, async.Head, async.Parameters, $"new({asyncCall})");
                break;
            default:
                CompletedAction(w, async, asyncCall);
                break;
        }
    }

    /// <summary>An asynchronous member over a synchronous call: the call, then a completed <c>ValueTask</c>.</summary>
    public static void CompletedAction(SourceWriter w, Signature async, string call)
    {
        Members.Block(w, async.Head, async.Parameters);
        w.Line(call + ";");
        w.Line("return default;");
        w.Close();
    }

    // The synchronous side of an asynchronous method waits for it; on a line of its own when the call is long.
    private static string[] Wait(SourceWriter w, UserMethodModel method, string call)
    {
        string wait = method.Shape switch
        {
            ReturnShape.ValueTask => ".AsTask().GetAwaiter().GetResult()",
            ReturnShape.Task => ".GetAwaiter().GetResult()",
            _ => string.Empty,
        };
        return wait.Length == 0 || w.Fits(call + wait + ";", deeper: 1) ? new[] { call + wait } : new[] { call, wait };
    }

    private static void WaitComment(SourceWriter w, UserMethodModel method, string what, string waiter)
    {
        if (method.Shape != ReturnShape.Sync)
        {
            w.Line($"// The {what} is asynchronous, so {waiter} has to wait for it.");
        }
    }
}
