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
    private readonly string _raw;
    private string[]? _pairs;

    /// <param name="raw">The query string, with or without its leading <c>?</c>.</param>
    public QueryValues(string? raw)
        : base(StringComparison.Ordinal)
    {
        _raw = raw ?? "";
    }

    protected override string[] Pairs => _pairs ??= Parse(_raw);

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

    private static string[] Parse(string raw)
    {
        var query = raw.AsSpan();
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
            return text.ToString();
        }
        return Uri.UnescapeDataString(text.ToString().Replace('+', ' '));
    }
}
