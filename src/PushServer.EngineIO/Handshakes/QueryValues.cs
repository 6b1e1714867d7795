namespace PushServer.EngineIO.Handshakes;

/// <summary>
/// The parameters of a request's query string, parsed from the raw string on first use and only then: the
/// dispatcher reads a few of them per request, and a session keeps the raw string for
/// <c>socket.handshake.query</c> rather than a parsed collection. Decoding follows ASP.NET Core's query parsing
/// (<c>+</c> is a space, percent escapes are decoded, a name without <c>=</c> has an empty value); a repeated name
/// keeps its first value, as the handshake always did.
/// </summary>
internal sealed class QueryValues : PairList
{
    private readonly string _text;
    private readonly int _start;
    private string[]? _pairs;

    /// <param name="raw">The query string, with or without its leading <c>?</c>.</param>
    public QueryValues(string? raw)
        : this(raw ?? "", 0)
    {
    }

    /// <summary>The query that starts at <paramref name="start"/> of <paramref name="text"/> (a request target, say).</summary>
    public QueryValues(string text, int start)
        : base(StringComparison.Ordinal)
    {
        _text = text;
        _start = start;
    }

    protected override string[] Pairs => _pairs ??= Parse(_text.AsSpan(_start));

    /// <summary>
    /// Every value of <paramref name="name"/> joined with commas, empty when absent: what the dispatcher compares,
    /// so a repeated <c>transport</c> matches no transport, as it did with ASP.NET Core's collection.
    /// </summary>
    public string Joined(string name)
    {
        var pairs = Pairs;
        string? joined = null;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            if (string.Equals(pairs[i], name, StringComparison.Ordinal))
            {
                joined = joined is null ? pairs[i + 1] : joined + "," + pairs[i + 1];
            }
        }
        return joined ?? "";
    }

    private static string[] Parse(ReadOnlySpan<char> raw)
    {
        var query = raw;
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }
        var pairs = new List<string>();
        foreach (var range in query.Split('&'))
        {
            var segment = query[range];
            if (segment.IsEmpty)
            {
                continue;
            }
            var equals = segment.IndexOf('=');
            var name = equals >= 0 ? segment[..equals] : segment;
            var value = equals >= 0 ? segment[(equals + 1)..] : [];
            if (name.IsEmpty)
            {
                continue;
            }
            pairs.Add(Decode(name));
            pairs.Add(Decode(value));
        }
        return [.. pairs];
    }

    private static string Decode(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAny('%', '+') < 0)
        {
            // Names and values repeat from one connection to the next (EIO, 4, transport, websocket): shared.
            return RecentStrings.Shared.Chars(text);
        }
        return Uri.UnescapeDataString(text.ToString().Replace('+', ' '));
    }
}
