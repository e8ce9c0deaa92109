using System.Text;

namespace PoolGen.Generators.Emitting;

/// <summary>
/// Writes indented lines. Printing text directly keeps the emitter fast and the output exactly as shown in the
/// snapshots; building syntax trees and normalizing whitespace would cost more and format worse.
/// </summary>
internal sealed class SourceWriter
{
    /// <summary>The longest line the emitter aims for, indentation included; only user type names make one longer.</summary>
    public const int Width = 120;

    private const string IndentUnit = "    ";

    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>How many characters a line written now may have within <see cref="Width"/>.</summary>
    /// <param name="deeper">Levels deeper than the current indentation the line would go.</param>
    public int Room(int deeper = 0) => Width - ((_depth + deeper) * IndentUnit.Length);

    /// <summary>Whether <paramref name="line"/> fits within <see cref="Width"/> at the current indentation (plus <paramref name="deeper"/>).</summary>
    public bool Fits(string line, int deeper = 0) => line.Length <= Room(deeper);

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

    /// <summary>Writes <paramref name="header"/> (unless it is null: the caller wrote it) and an opening brace, then indents.</summary>
    public void Open(string? header)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _depth++;
    }

    /// <summary>Unindents and writes the closing brace, followed by <paramref name="after"/> (such as <c>);</c>).</summary>
    public void Close(string after = "")
    {
        _depth--;
        Line("}" + after);
    }

    /// <summary>Runs <paramref name="write"/> one level deeper: a lambda's body under an expression-bodied member.</summary>
    public void Deeper(System.Action write)
    {
        _depth++;
        write();
        _depth--;
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
