using System.Text;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Writes indented lines. Printing text directly keeps the emitter fast and the output exactly as shown in the
/// snapshots; building syntax trees and normalizing whitespace would cost more and format worse.
/// </summary>
internal sealed class SourceWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>Writes one line at the current indentation; an empty line gets no trailing spaces.</summary>
    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < _depth; i++)
            {
                _text.Append(IndentUnit);
            }

            _text.Append(line);
        }

        // Always \n, so the output is the same whichever machine runs the compiler.
        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, then indents.</summary>
    public void Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
    }

    /// <summary>Unindents and writes the closing brace.</summary>
    public void Close()
    {
        _depth--;
        Line("}");
    }

    /// <summary>Writes the lines of a continuation (an expression body on its own line) one level deeper.</summary>
    public void Continued(string line)
    {
        _depth++;
        Line(line);
        _depth--;
    }

    public override string ToString() => _text.ToString();
}
