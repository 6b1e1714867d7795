using System.Text.RegularExpressions;

namespace PushServer.Behaviours;

/// <summary>Room name patterns: <c>*</c> matches any run of characters, <c>?</c> exactly one, the rest literally.</summary>
internal sealed class RoomPattern
{
    private readonly Regex _regex;

    public RoomPattern(string pattern)
    {
        var escaped = Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
        _regex = new Regex("^" + escaped + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
    }

    public bool Matches(string room) => _regex.IsMatch(room);
}
