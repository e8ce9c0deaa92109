using PoolGen.Generators.Model;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints a policy member pair (sync and async) over one user method, bridging whichever shape the user wrote:
/// a synchronous method is wrapped in a completed <c>ValueTask</c>, an asynchronous one is waited on in the
/// synchronous member.
/// </summary>
internal static class BridgeEmitter
{
    private const int Width = 120;

    /// <summary>A pair returning a result: Create/CreateAsync or Validate/ValidateAsync.</summary>
    public static void EmitFunction(
        SourceWriter w, UserCalls calls, UserMethodModel method, string what, string waiter,
        string sync, string async, string resultType, string? argument, string asyncToken)
    {
        string syncCall = calls.Call(method, argument, Names.NoCancellation);
        string asyncCall = calls.Call(method, argument, asyncToken);
        string completed = Names.ValueTaskOf(resultType);

        WaitComment(w, method, what, waiter);
        ExpressionMember(w, sync, method.Shape switch
        {
            ReturnShape.ValueTask => $"{syncCall}.AsTask().GetAwaiter().GetResult()",
            ReturnShape.Task => $"{syncCall}.GetAwaiter().GetResult()",
            _ => syncCall,
        });
        w.Line();
        ExpressionMember(w, async, method.Shape switch
        {
            ReturnShape.ValueTask => asyncCall,
            _ => $"new {completed}({asyncCall})",
        });
    }

    /// <summary>A pair with no result: Reset/ResetAsync or Close/CloseAsync.</summary>
    public static void EmitAction(
        SourceWriter w, UserCalls calls, UserMethodModel method, string what, string waiter,
        string sync, string async, string asyncToken)
    {
        string syncCall = calls.Call(method, "connection", Names.NoCancellation);
        string asyncCall = calls.Call(method, "connection", asyncToken);

        WaitComment(w, method, what, waiter);
        ExpressionMember(w, sync, method.Shape switch
        {
            ReturnShape.ValueTask => $"{syncCall}.AsTask().GetAwaiter().GetResult()",
            ReturnShape.Task => $"{syncCall}.GetAwaiter().GetResult()",
            _ => syncCall,
        });
        w.Line();
        switch (method.Shape)
        {
            case ReturnShape.ValueTask:
                ExpressionMember(w, async, asyncCall);
                break;
            case ReturnShape.Task:
                ExpressionMember(w, async, $"new {Names.ValueTask}({asyncCall})");
                break;
            default:
                w.Open(async);
                w.Line(asyncCall + ";");
                w.Line("return default;");
                w.Close();
                break;
        }
    }

    /// <summary><c>declaration => body;</c> on one line when it fits, else with the body on the next line.</summary>
    public static void ExpressionMember(SourceWriter w, string declaration, string body)
    {
        string oneLine = $"{declaration} => {body};";
        if (oneLine.Length <= Width)
        {
            w.Line(oneLine);
            return;
        }

        w.Line(declaration + " =>");
        w.Continued(body + ";");
    }

    private static void WaitComment(SourceWriter w, UserMethodModel method, string what, string waiter)
    {
        if (method.Shape != ReturnShape.Sync)
        {
            w.Line($"// The {what} is asynchronous, so {waiter} has to wait for it.");
        }
    }
}
