using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PushServer.Configuration;

namespace PushServer.PushApi;

/// <summary>
/// What the push port's <c>/</c> shows a person who opens it in a browser: this node's version, uptime and
/// connections, and where to look next. A script that calls <c>/</c> without <c>msg</c> keeps getting the JSON error:
/// only a request whose <c>Accept</c> names <c>text/html</c> (browsers do; curl, HttpClient and fetch do not) gets the
/// page. It is served behind the same gate as the push API, so a token, when set, guards it too.
/// </summary>
internal static class StatusPage
{
    private const string Style =
        "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:44rem;padding:0 1rem;color:#1d2329}" +
        "h1{font-size:1.6rem;margin-bottom:.2rem}.sub{color:#5c6670;margin-top:0}" +
        "table{border-collapse:collapse;margin:1rem 0}td{padding:.25rem 1.2rem .25rem 0}td:first-child{color:#5c6670}" +
        "code{background:#f0f2f4;padding:.1rem .3rem;border-radius:3px}li{margin:.3rem 0}";

    /// <summary>True for a GET of <c>/</c> with no push parameters from a client that asks for HTML.</summary>
    public static bool IsBrowserVisit(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("msg") || request.Query.ContainsKey("type"))
        {
            return false;
        }
        foreach (var accepted in request.GetTypedHeaders().Accept)
        {
            if (accepted.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && accepted.Quality is not 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Writes the page from this node's own counts (no cluster query, so it answers at once).</summary>
    public static Task WriteAsync(HttpContext context)
    {
        var stats = context.RequestServices.GetRequiredService<StatsCollector>().Collect();
        var uptime = TimeSpan.FromSeconds(Math.Floor(stats.UptimeSeconds));
        var html = new StringBuilder(2048)
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PushServer</title>")
            .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>").Append(Style).Append("</style></head><body>")
            .Append("<h1>PushServer</h1><p class=\"sub\">push port of this node</p><table>")
            .Append(Row("version", stats.Version))
            .Append(Row("uptime", uptime.ToString(uptime.TotalDays >= 1 ? @"d\d\ hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture)))
            .Append(Row("connections", stats.Connections.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("state", stats.Draining ? "draining" : "serving"))
            .Append("</table><ul>")
            .Append(AdminUiLink(context))
            .Append("<li><a href=\"api/stats\">api/stats</a>: connections, transports, sockets and rooms per namespace (the whole cluster's too)</li>")
            .Append("<li><a href=\"metrics\">metrics</a>: Prometheus metrics</li>")
            .Append("<li><a href=\"health/ready\">health/ready</a>: readiness, as a load balancer sees it</li>")
            .Append("</ul><p>Push with <code>GET /?msg=hello</code> (event <code>chat message</code> to every client) or ")
            .Append("<code>POST /api/emit</code> with <code>{\"event\":\"news\",\"data\":{…},\"rooms\":[\"room\"]}</code>; ")
            .Append("the full reference is docs/push-api.md in the distribution.</p></body></html>")
            .ToString();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        // Nothing on the page loads or runs anything: a page that cannot run script cannot be turned against the port.
        response.Headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'";
        response.Headers[HeaderNames.CacheControl] = "no-store";
        return response.WriteAsync(html);
    }

    /// <summary>The Admin UI's entry when it is served (AdminUi:Enabled), else nothing.</summary>
    private static string AdminUiLink(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<AdminUiSettings>>().Value.Enabled
            ? "<li><a href=\"admin/\">admin/</a>: the Socket.IO Admin UI (sockets, rooms, live charts; log in with AdminUi:Username)</li>"
            : "";

    private static string Row(string name, string value) =>
        $"<tr><td>{WebUtility.HtmlEncode(name)}</td><td>{WebUtility.HtmlEncode(value)}</td></tr>";
}
