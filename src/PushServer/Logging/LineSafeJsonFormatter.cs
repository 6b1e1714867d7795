using System.Buffers;
using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;

namespace PushServer.Logging;

/// <summary>
/// Compact JSON, one event a line, with nothing in it that a reader could take for the end of a line. Serilog's
/// JSON formatter escapes the C0 controls (newline among them) in every string, but writes C1 controls (NEL, U+0085)
/// and the Unicode line and paragraph separators (U+2028, U+2029) as they are, which JSON allows and some line
/// readers split on; they are written as <c>\uXXXX</c> escapes here. They can only occur inside JSON strings, where
/// the escape means the same character, so the event a collector parses is unchanged.
/// </summary>
internal sealed class LineSafeJsonFormatter(ITextFormatter json) : ITextFormatter
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        Enumerable.Range(0x7F, 0x21).Append(0x2028).Append(0x2029).Select(c => (char)c).ToArray());

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        json.Format(logEvent, buffer);
        var text = buffer.ToString().AsSpan();
        for (var next = text.IndexOfAny(Unsafe); next >= 0; next = text.IndexOfAny(Unsafe))
        {
            output.Write(text[..next]);
            output.Write("\\u" + ((int)text[next]).ToString("X4", CultureInfo.InvariantCulture));
            text = text[(next + 1)..];
        }
        output.Write(text);
    }
}
