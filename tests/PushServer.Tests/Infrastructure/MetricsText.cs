using System.Globalization;
using System.Text.RegularExpressions;

namespace PushServer.Tests.Infrastructure;

/// <summary>Reads one series from a node's <c>/metrics</c> (Prometheus text format).</summary>
public static class MetricsText
{
    /// <summary>
    /// The value of <paramref name="series"/>, written as it appears in the text (the name and any labels, e.g.
    /// <c>pushserver_sockets{namespace="/"}</c>); fails the test when the series is not exposed.
    /// </summary>
    public static async Task<double> ReadAsync(HttpClient push, string series)
    {
        var text = await push.GetStringAsync("metrics");
        var match = Regex.Match(text, "^" + Regex.Escape(series) + @" (\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, series + " is not exposed:\n" + text);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
