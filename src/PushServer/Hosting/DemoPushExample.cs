using System.Net;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// The curl line the demo page shows for pushing to it from a backend: this server's push port as it listens, the host a
/// backend would use to reach it, and the token header when the push API wants one (a placeholder, never the token).
/// </summary>
internal static class DemoPushExample
{
    /// <summary>Stands for a host the page cannot name.</summary>
    public const string HostPlaceholder = "SERVER";

    /// <summary>Stands for <c>PushApi:Token</c>, which the page must not show.</summary>
    public const string TokenPlaceholder = "YOUR_PUSH_TOKEN";

    /// <summary>The command and a sentence on where to run it.</summary>
    /// <param name="push">The push API's options.</param>
    /// <param name="port">The port the push API listens on (the bound one when configured as 0).</param>
    /// <param name="pageHost">The host name the browser used for this page (the Host header, without its port).</param>
    public static (string Command, string Note) For(PushApiSettings push, int port, string? pageHost)
    {
        BindAddress.TryParse(push.Bind, out var bind);
        string host;
        string note;
        if (bind.IsLoopback)
        {
            host = bind.LocalHostForUrl();
            note = $"Run it on the server's own machine: the push port listens on {push.Bind} only (PushApi:Bind).";
        }
        else if (bind.AnyAddress)
        {
            host = IsHostName(pageHost) ? pageHost! : HostPlaceholder;
            note = "Run it from any backend that can reach this server: the push port listens on every interface (PushApi:Bind).";
        }
        else
        {
            host = bind.LocalHostForUrl();
            note = $"Run it from a backend that can reach {push.Bind} (PushApi:Bind).";
        }
        var auth = string.IsNullOrEmpty(push.Token) ? "" : $"-H 'Authorization: Bearer {TokenPlaceholder}' ";
        if (auth.Length > 0)
        {
            note += $" {TokenPlaceholder} is the push API's token (PushApi:Token).";
        }
        var scheme = push.Tls ? "https" : "http";
        return ($"curl {auth}'{scheme}://{host}:{port}/?msg=hello+from+a+backend'", note);
    }

    /// <summary>
    /// Whether the page's host is a DNS name or IP literal: anything else (a Host header is the client's to choose) is
    /// left out rather than copied into the page.
    /// </summary>
    private static bool IsHostName(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }
        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }
}
