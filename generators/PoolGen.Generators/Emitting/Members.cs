namespace PoolGen.Generators.Emitting;

/// <summary>
/// Prints member declarations within <see cref="SourceWriter.Width"/>, the way a person would wrap them: a declaration
/// and its expression body on one line when they fit, else the body on the next line; a parameter list that does not
/// fit goes on its own line, or one parameter to a line.
/// </summary>
internal static class Members
{
    /// <summary>
    /// <c>head(parameters) =&gt; body;</c>, or <c>head =&gt; body;</c> for a property (<paramref name="parameters"/>
    /// null). A body of several lines is the first line followed by the others one level deeper.
    /// </summary>
    public static void Expression(SourceWriter w, string head, string[]? parameters, params string[] body)
    {
        string oneLine = $"{Declaration(head, parameters)} => {body[0]};";
        if (body.Length == 1 && w.Fits(oneLine))
        {
            w.Line(oneLine);
            return;
        }

        Header(w, head, parameters, " =>");
        for (int i = 0; i < body.Length; i++)
        {
            string line = body[i] + (i == body.Length - 1 ? ";" : string.Empty);
            w.Continued(i == 0 ? line : "    " + line);
        }
    }

    /// <summary>A <c>[MethodImpl]</c> attribute with one of <c>MethodImplOptions</c>' names.</summary>
    public static void MethodImpl(SourceWriter w, string option)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(");
        w.Continued($"global::System.Runtime.CompilerServices.MethodImplOptions.{option})]");
    }

    /// <summary><c>head(parameters)</c> and an opening brace; the caller writes the body and closes it.</summary>
    public static void Block(SourceWriter w, string head, string[] parameters)
    {
        Header(w, head, parameters, string.Empty);
        w.Open(null);
    }

    private static string Declaration(string head, string[]? parameters) =>
        parameters is null ? head : $"{head}({string.Join(", ", parameters)})";

    private static void Header(SourceWriter w, string head, string[]? parameters, string suffix)
    {
        string oneLine = Declaration(head, parameters) + suffix;
        if (parameters is null || parameters.Length == 0 || w.Fits(oneLine))
        {
            w.Line(oneLine);
            return;
        }

        w.Line(head + "(");
        string together = string.Join(", ", parameters) + ")" + suffix;
        if (w.Fits(together, deeper: 1))
        {
            w.Continued(together);
            return;
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            w.Continued(parameters[i] + (i == parameters.Length - 1 ? ")" + suffix : ","));
        }
    }
}
