using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PushServer.EngineIO.Handshakes;

/// <summary>
/// The request headers a session keeps for <c>socket.handshake.headers</c>: names lower-cased (case-insensitive
/// lookups), repeated values joined with <c>", "</c>. Values are the strings the server already parsed; the names of
/// common headers come from a table, so a snapshot allocates little more than its array.
/// </summary>
internal sealed class HeaderSnapshot : PairList
{
    private static readonly FrozenDictionary<string, string> LowerCaseNames = new[]
    {
        HeaderNames.Accept, HeaderNames.AcceptEncoding, HeaderNames.AcceptLanguage, HeaderNames.Authorization,
        HeaderNames.CacheControl, HeaderNames.Connection, HeaderNames.ContentLength, HeaderNames.ContentType,
        HeaderNames.Cookie, HeaderNames.Host, HeaderNames.Origin, HeaderNames.Pragma, HeaderNames.Referer,
        HeaderNames.SecWebSocketExtensions, HeaderNames.SecWebSocketKey, HeaderNames.SecWebSocketProtocol,
        HeaderNames.SecWebSocketVersion, HeaderNames.Upgrade, HeaderNames.UserAgent, "X-Forwarded-For",
        "X-Forwarded-Host", "X-Forwarded-Proto", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site",
    }.ToFrozenDictionary(name => name, name => name.ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>The same lower-case names, found whatever the case a client sent them in.</summary>
    private static readonly FrozenDictionary<string, string> KnownByAnyCase =
        LowerCaseNames.Values.ToFrozenDictionary(name => name, name => name, StringComparer.OrdinalIgnoreCase);

    private readonly string[] _pairs;

    private HeaderSnapshot(string[] pairs)
        : base(StringComparison.OrdinalIgnoreCase)
    {
        _pairs = pairs;
    }

    protected override string[] Pairs => _pairs;

    /// <summary>Copies the names and values of <paramref name="headers"/>.</summary>
    public static HeaderSnapshot Capture(IHeaderDictionary headers)
    {
        var pairs = new string[headers.Count * 2];
        var i = 0;
        foreach (var header in headers)
        {
            pairs[i++] = LowerCaseName(header.Key);
            pairs[i++] = header.Value.Count == 1 ? header.Value[0] ?? "" : string.Join(", ", header.Value.ToArray());
        }
        return new HeaderSnapshot(i == pairs.Length ? pairs : pairs[..i]);
    }

    /// <summary>Keeps pairs already in snapshot form: lower-case names, repeated values joined.</summary>
    public static HeaderSnapshot FromPairs(string[] pairs) => new(pairs);

    /// <summary>The lower-case name for an ASCII header name read off the wire; common names are shared strings.</summary>
    public static string LowerCaseName(ReadOnlySpan<byte> name)
    {
        Span<char> chars = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        System.Text.Encoding.ASCII.GetChars(name, chars);
        if (KnownByAnyCase.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var known))
        {
            return known;
        }
        return new string(chars).ToLowerInvariant();
    }

    private static string LowerCaseName(string name)
    {
        if (LowerCaseNames.TryGetValue(name, out var lower))
        {
            return lower;
        }
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return name.ToLowerInvariant();
            }
        }
        return name;
    }
}
