using System.Text;

namespace PoolGen.Generators.Emitting;

/// <summary>Prints XML doc comments, wrapped the way a person would wrap them.</summary>
internal static class Docs
{
    /// <summary>A one-line summary when it fits, else the text wrapped between summary tags.</summary>
    public static void Summary(SourceWriter w, string text)
    {
        string oneLine = $"/// <summary>{text}</summary>";
        if (w.Fits(oneLine))
        {
            w.Line(oneLine);
            return;
        }

        w.Line("/// <summary>");
        var line = new StringBuilder("///");
        foreach (string word in text.Split(' '))
        {
            if (line.Length + 1 + word.Length > w.Room() && line.Length > 3)
            {
                w.Line(line.ToString());
                line.Clear().Append("///");
            }

            line.Append(' ').Append(word);
        }

        w.Line(line.ToString());
        w.Line("/// </summary>");
    }

    /// <summary>The documentation of the interface member this member implements.</summary>
    public static void Inherited(SourceWriter w) => w.Line("/// <inheritdoc/>");
}
