using System.Buffers;
using System.Globalization;
using System.Text;

namespace PushServer.Logging;

/// <summary>
/// Escapes the characters that would let a logged value leave its line or steer a terminal: C0 controls (newline,
/// carriage return, tab, escape...), DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators.
/// Newline, carriage return and tab become <c>\n</c>, <c>\r</c>, <c>\t</c>; the others <c>\uXXXX</c>.
/// </summary>
internal static class LogText
{
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Append(0x2028).Append(0x2029).Select(c => (char)c).ToArray());

    /// <summary>Whether <paramref name="text"/> holds a character <see cref="Escape"/> would replace.</summary>
    public static bool NeedsEscaping(ReadOnlySpan<char> text) => text.ContainsAny(Escaped);

    /// <summary><paramref name="text"/> with its control characters escaped; the same instance when it has none.</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Escaped);
        if (first < 0)
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!Escaped.Contains(c))
            {
                escaped.Append(c);
                continue;
            }
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            });
        }
        return escaped.ToString();
    }
}
