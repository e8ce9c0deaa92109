using System.Text;

namespace PoolGen.Generators.Emitting;

/// <summary>Prints XML doc comments, wrapped the way a person would wrap them.</summary>
internal static class Docs
{
    private const int OneLineWidth = 120;
    private const int WrapWidth = 116;

    /// <summary>A one-line summary when it fits, else the text wrapped between summary tags.</summary>
    public static void Summary(SourceWriter w, string text)
    {
        string oneLine = $"/// <summary>{text}</summary>";
        if (oneLine.Length <= OneLineWidth)
        {
            w.Line(oneLine);
            return;
        }

        w.Line("/// <summary>");
        var line = new StringBuilder("///");
        foreach (string word in text.Split(' '))
        {
            if (line.Length + 1 + word.Length > WrapWidth && line.Length > 3)
            {
                w.Line(line.ToString());
                line.Clear().Append("///");
            }

            line.Append(' ').Append(word);
        }

        w.Line(line.ToString());
        w.Line("/// </summary>");
    }
}
