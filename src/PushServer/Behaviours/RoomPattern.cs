using System.Text.RegularExpressions;

namespace PushServer.Behaviours;

/// <summary>
/// Room name patterns: a glob, where <c>*</c> matches any run of characters, <c>?</c> exactly one and the rest
/// literally, or a regular expression written between slashes (<c>/game-[0-9]+/</c>). Either must match the whole name.
/// </summary>
internal sealed class RoomPattern
{
    // Every join a client asks for runs the patterns: bound the time one match may take.
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;

    /// <exception cref="ArgumentException"><paramref name="pattern"/> is a regular expression that does not parse.</exception>
    public RoomPattern(string pattern)
    {
        var expression = IsRegex(pattern)
            ? "^(?:" + pattern[1..^1] + ")$"
            : "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$";
        _regex = new Regex(expression, RegexOptions.CultureInvariant | RegexOptions.Singleline, s_matchTimeout);
    }

    /// <summary>Whether <paramref name="pattern"/> is written as a regular expression, <c>/…/</c>.</summary>
    public static bool IsRegex(string pattern) => pattern.Length >= 2 && pattern[0] == '/' && pattern[^1] == '/';

    /// <summary>Whether <paramref name="pattern"/> parses; otherwise <paramref name="problem"/> says why.</summary>
    public static bool TryValidate(string pattern, out string problem)
    {
        try
        {
            _ = new RoomPattern(pattern);
            problem = "";
            return true;
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>Whether <paramref name="room"/> matches; a match that runs too long counts as no match.</summary>
    public bool Matches(string room)
    {
        try
        {
            return _regex.IsMatch(room);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
