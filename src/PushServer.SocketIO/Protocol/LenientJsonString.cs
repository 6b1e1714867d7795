using System.Text;
using System.Text.Json;

namespace PushServer.SocketIO.Protocol;

/// <summary>
/// Reads a JSON string that may hold a lone UTF-16 surrogate (<c>"\ud800"</c>). Such text is valid JSON, Node accepts
/// it and a client produces it by cutting an emoji in half, but <see cref="JsonElement.GetString"/> throws on it. A
/// client's mistake must not become a server error, so each lone surrogate reads as U+FFFD, as a UTF-8 decoder would.
/// </summary>
public static class LenientJsonString
{
    /// <summary>The string value of <paramref name="element"/>, which must be a JSON string.</summary>
    public static string Read(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Unescape(element.GetRawText());
        }
    }

    /// <summary>Unescapes the raw text of a JSON string (quotes included), replacing lone surrogates.</summary>
    private static string Unescape(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            var escape = raw[++i];
            builder.Append(escape switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)Convert.ToUInt16(raw.Substring(i + 1, 4), 16),
                _ => escape,
            });
            if (escape == 'u')
            {
                i += 4;
            }
        }
        return ReplaceLoneSurrogates(builder);
    }

    private static string ReplaceLoneSurrogates(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                text[i] = '\uFFFD';
            }
        }
        return text.ToString();
    }
}
