using System.Security.Cryptography;
using PushServer.EngineIO.Sessions;

namespace PushServer.EngineIO.Routing;

/// <summary>
/// Session ids that name the node holding them: the reference's 20 random characters, a dot, and the node's tag (8
/// URL-safe characters), e.g. <c>Xb3…Q.k2Jd9_aQ</c>. The dot is outside the base64url alphabet of both parts, so an
/// id of a node that does not route (Node's socket.io makes plain 20-character ids) is never mistaken for a routed one.
/// Clients treat the sid as opaque, so the longer id changes nothing for them.
/// </summary>
public static class RoutedSessionIds
{
    private const char Separator = '.';
    private const int TagLength = 8;

    /// <summary>A new random node tag: 6 random bytes, 8 URL-safe characters.</summary>
    public static string NewNodeTag()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>A new session id of the node tagged <paramref name="nodeTag"/>.</summary>
    public static string New(string nodeTag) => string.Concat(SessionId.New(), Separator.ToString(), nodeTag);

    /// <summary>The tag of the node that made <paramref name="sid"/>; false when the id names no node or is malformed.</summary>
    public static bool TryGetNodeTag(string sid, out string nodeTag)
    {
        var dot = sid.LastIndexOf(Separator);
        nodeTag = "";
        if (dot <= 0 || sid.Length - dot - 1 != TagLength)
        {
            return false;
        }
        var tag = sid.AsSpan(dot + 1);
        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        nodeTag = tag.ToString();
        return true;
    }
}
