using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace PushServer.EngineIO.ConnectionLevelWebSockets;

/// <summary>
/// An HTTP/1.1 WebSocket upgrade request read straight off a connection, before Kestrel's HTTP layer sees it. Only
/// the plainest form parses: <c>GET</c>, an origin-form target without percent escapes in its path, ASCII header
/// values, no folding, no body, and a valid <c>Sec-WebSocket-Key</c> for version 13. Anything else is left to Kestrel,
/// which then answers it exactly as before, errors included.
/// </summary>
internal sealed class WebSocketUpgradeRequest
{
    /// <summary>The longest request head read here; a longer one goes to Kestrel.</summary>
    public const int MaxHeadLength = 8192;

    private const int MaxHeaders = 64;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> WebSocketGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    private WebSocketUpgradeRequest(string target, int queryStart, string[] headerPairs)
    {
        Target = target;
        _queryStart = queryStart;
        HeaderPairs = headerPairs;
    }

    private readonly int _queryStart;

    /// <summary>Path and query as sent, e.g. <c>/socket.io/?EIO=4&amp;transport=websocket</c>.</summary>
    public string Target { get; }

    /// <summary>The path part of <see cref="Target"/>.</summary>
    public ReadOnlySpan<char> Path => _queryStart < 0 ? Target : Target.AsSpan(0, _queryStart);

    /// <summary>The query's values, read from <see cref="Target"/> itself (no copy of the query is kept).</summary>
    public Handshakes.QueryValues QueryValues() => _queryStart < 0 ? new Handshakes.QueryValues("") : new Handshakes.QueryValues(Target, _queryStart);

    /// <summary>Header names lower-cased and values, alternating; repeated names joined with <c>", "</c>.</summary>
    public string[] HeaderPairs { get; }

    /// <summary>The first value of a header, empty when absent.</summary>
    public string Header(string lowerCaseName)
    {
        for (var i = 0; i < HeaderPairs.Length; i += 2)
        {
            if (ReferenceEquals(HeaderPairs[i], lowerCaseName) || HeaderPairs[i] == lowerCaseName)
            {
                return HeaderPairs[i + 1];
            }
        }
        return "";
    }

    /// <summary>
    /// Looks for a complete request head at the start of <paramref name="buffer"/>. Returns false when there is none
    /// yet or when the request is not a plain WebSocket upgrade; <paramref name="headLength"/> is then 0.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> buffer, out WebSocketUpgradeRequest? request, out int headLength)
    {
        request = null;
        headLength = 0;
        var length = (int)Math.Min(buffer.Length, MaxHeadLength);
        if (buffer.IsSingleSegment)
        {
            return TryParse(buffer.FirstSpan[..length], out request, out headLength);
        }
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return TryParse(copy.AsSpan(0, length), out request, out headLength);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> data, out WebSocketUpgradeRequest? request, out int headLength)
    {
        request = null;
        headLength = 0;
        var end = data.IndexOf(HeadEnd);
        if (end < 0)
        {
            return false;
        }
        var head = data[..(end + 2)]; // every line, each with its CRLF
        var lineEnd = head.IndexOf("\r\n"u8);
        if (!TryParseRequestLine(head[..lineEnd], out var target, out var queryStart))
        {
            return false;
        }

        var pairs = new List<string>(24);
        var rest = head[(lineEnd + 2)..];
        string? key = null, version = null, upgrade = null, connection = null, host = null;
        while (rest.Length > 0)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            if (pairs.Count >= MaxHeaders * 2 || !TryParseHeader(line, out var name, out var value))
            {
                return false;
            }
            if (name is "content-length" or "transfer-encoding")
            {
                return false; // a GET with a body is Kestrel's to judge
            }
            var seenOnce = name switch
            {
                "sec-websocket-key" => TakeFirst(ref key, value),
                "sec-websocket-version" => TakeFirst(ref version, value),
                "upgrade" => TakeFirst(ref upgrade, value),
                "connection" => TakeFirst(ref connection, value),
                "host" => TakeFirst(ref host, value),
                _ => true,
            };
            if (!seenOnce)
            {
                return false; // repeated: Kestrel decides what that means
            }
            AddOrJoin(pairs, name, value);
        }

        if (host is null || key is null || version != "13" || !IsValidKey(key)
            || upgrade is null || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || connection is null || !HasToken(connection, "upgrade"))
        {
            return false;
        }
        request = new WebSocketUpgradeRequest(target, queryStart, [.. pairs]);
        headLength = end + HeadEnd.Length;
        return true;
    }

    private static bool TryParseRequestLine(ReadOnlySpan<byte> line, out string target, out int queryStart)
    {
        target = "";
        queryStart = -1;
        if (!line.StartsWith("GET /"u8) || !line.EndsWith(" HTTP/1.1"u8))
        {
            return false;
        }
        var raw = line[4..^9];
        foreach (var b in raw)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }
        var question = raw.IndexOf((byte)'?');
        var path = question < 0 ? raw : raw[..question];
        if (path.IndexOf((byte)'%') >= 0 || path.IndexOf("/."u8) >= 0 || path.IndexOf("//"u8) >= 0)
        {
            return false; // escapes and dot segments are normalised by Kestrel: let it
        }
        target = Handshakes.RecentStrings.Shared.Ascii(raw);
        queryStart = question;
        return true;
    }

    private static bool TryParseHeader(ReadOnlySpan<byte> line, out string name, out string value)
    {
        name = value = "";
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false; // no name, or a folded continuation line
        }
        var rawName = line[..colon];
        foreach (var b in rawName)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }
        var rawValue = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in rawValue)
        {
            if (b != '\t' && b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }
        name = Handshakes.HeaderSnapshot.LowerCaseName(rawName);
        // The key differs on every request: copied, so that it does not push shared text out of RecentStrings.
        value = rawValue.IsEmpty ? ""
            : CommonValue(rawValue) ?? (name == "sec-websocket-key" ? Encoding.ASCII.GetString(rawValue) : Handshakes.RecentStrings.Shared.Ascii(rawValue));
        return true;
    }

    // Values nearly every upgrade carries, shared rather than copied: the handshake keeps its headers for the
    // connection's life (socket.handshake.headers), so each copy would cost every connection a string.
    private static readonly string[] CommonValues =
    [
        "13", "websocket", "Upgrade", "upgrade", "keep-alive, Upgrade", "Keep-Alive, Upgrade", "no-cache", "*/*",
        "gzip, deflate", "gzip, deflate, br", "gzip, deflate, br, zstd", "en-US,en;q=0.9",
        "permessage-deflate; client_max_window_bits", "cross-site", "same-origin", "empty",
    ];

    private static string? CommonValue(ReadOnlySpan<byte> raw)
    {
        foreach (var common in CommonValues)
        {
            if (raw.Length == common.Length && Ascii.Equals(raw, common))
            {
                return common;
            }
        }
        return null;
    }

    /// <summary>Keeps the first value of a header that must come once; false when it came before.</summary>
    private static bool TakeFirst(ref string? slot, string value)
    {
        if (slot is not null)
        {
            return false;
        }
        slot = value;
        return true;
    }

    private static void AddOrJoin(List<string> pairs, string name, string value)
    {
        for (var i = 0; i < pairs.Count; i += 2)
        {
            if (pairs[i] == name)
            {
                pairs[i + 1] = pairs[i + 1] + ", " + value;
                return;
            }
        }
        pairs.Add(name);
        pairs.Add(value);
    }

    private static bool IsTokenChar(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&'
            or (byte)'\'' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`'
            or (byte)'|' or (byte)'~';

    private static bool HasToken(string list, string token)
    {
        foreach (var range in list.AsSpan().Split(','))
        {
            if (list.AsSpan(range).Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>RFC 6455 4.2.1: the key is 16 random bytes in base64.</summary>
    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> answer to this request's key (RFC 6455 4.2.2).</summary>
    public string AcceptKey()
    {
        var key = Header("sec-websocket-key");
        Span<byte> input = stackalloc byte[24 + 36];
        Encoding.ASCII.GetBytes(key, input);
        WebSocketGuid.CopyTo(input[24..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        return Convert.ToBase64String(hash);
    }
}
