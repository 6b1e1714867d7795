using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// The Socket.IO Admin UI page at <c>/admin/</c> on the push port: the built UI of the @socket.io/admin-ui npm package,
/// embedded at build time, so it works with no network. Mapped only when <c>AdminUi:Enabled</c>; it sits behind the
/// push port's gate, so a push token, when set, guards it as it guards the push API. The page loads nothing from
/// other hosts (its icon font is served from the executable too), and a small <c>config.js</c> points the UI at this
/// server before it starts.
/// </summary>
internal static class AdminUiPageEndpoints
{
    /// <summary>Where the page is served on the push port.</summary>
    public const string PathBase = "/admin";

    private const string ResourcePrefix = "PushServer.AdminUi.";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>The page's web font (Roboto), on another host; the UI falls back to the system's sans-serif font.</summary>
    private const string RemoteFontLinkStart = "<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/";

    /// <summary>The page's icon font, on a CDN; served from the executable instead (@mdi/font, pinned).</summary>
    private const string RemoteIconLinkStart = "<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/@mdi/font";

    private const string LocalIconLink = "<link rel=\"stylesheet\" href=\"mdi/css/materialdesignicons.min.css\">";

    /// <summary>Maps the page and its files on the push listener, when the admin UI is enabled.</summary>
    public static void MapAdminUiPage(this IEndpointRouteBuilder endpoints, object pushRole)
    {
        var settings = endpoints.ServiceProvider.GetRequiredService<IOptions<AdminUiSettings>>().Value;
        if (!settings.Enabled)
        {
            return;
        }
        var assembly = typeof(AdminUiPageEndpoints).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || resource == ResourcePrefix + "index.html")
            {
                continue;
            }
            var relative = resource[ResourcePrefix.Length..];
            var content = EmbeddedFiles.Read(assembly, resource);
            var contentType = ContentTypeOf(relative);
            // The bundles' names carry a content hash, so a new build never meets a stale copy.
            endpoints.MapMethods($"{PathBase}/{relative}", GetAndHead, context => EmbeddedFiles.WriteAsync(context, contentType, "public, max-age=86400", content))
                .WithMetadata(pushRole);
        }

        var page = Encoding.UTF8.GetBytes(AsServed(Encoding.UTF8.GetString(EmbeddedFiles.Read(assembly, ResourcePrefix + "index.html"))));
        // Routing matches /admin and /admin/ alike; the page's relative links need the slash, so /admin is redirected.
        endpoints.MapMethods(PathBase + "/", GetAndHead, context =>
            {
                if (!context.Request.Path.Value!.EndsWith('/'))
                {
                    context.Response.Redirect(PathBase + "/" + context.Request.QueryString);
                    return Task.CompletedTask;
                }
                return EmbeddedFiles.WriteAsync(context, "text/html; charset=utf-8", "no-store", page);
            })
            .WithMetadata(pushRole);
        endpoints.MapMethods(PathBase + "/config.js", GetAndHead, context =>
                EmbeddedFiles.WriteAsync(context, "application/javascript; charset=utf-8", "no-store", Encoding.UTF8.GetBytes(ConfigScript(context, settings))))
            .WithMetadata(pushRole);
    }

    /// <summary>
    /// Stores this server's address in the UI's own settings (its localStorage keys) before the UI reads them, on every
    /// load: the page belongs to this server. WebSocket only, as a WebSocket needs no cross-origin grant from the
    /// Socket.IO port, which is another origin than the push port's page.
    /// </summary>
    private static string ConfigScript(HttpContext context, AdminUiSettings settings)
    {
        var url = SocketIOUrl(context, settings);
        var values = new Dictionary<string, string>
        {
            ["server_url"] = url,
            ["namespace"] = settings.Namespace,
            ["path"] = PushServerHost.SocketIOPath,
            ["ws_only"] = "true",
        };
        var script = new StringBuilder("// This server's Socket.IO address, for the Admin UI's connection settings.\n");
        foreach (var (key, value) in values)
        {
            script.Append("localStorage.setItem(").Append(JsonSerializer.Serialize(key)).Append(", ").Append(JsonSerializer.Serialize(value)).Append(");\n");
        }
        return script.ToString();
    }

    /// <summary>
    /// <c>AdminUi:SocketIOUrl</c> when set (a server behind a proxy); otherwise the host the browser used for this
    /// page with this node's Socket.IO port, https when that port has TLS.
    /// </summary>
    internal static string SocketIOUrl(HttpContext context, AdminUiSettings settings)
    {
        if (settings.SocketIOUrl.Length > 0)
        {
            return settings.SocketIOUrl.TrimEnd('/');
        }
        var listeners = context.RequestServices.GetRequiredService<ListenerEndpoints>();
        var port = listeners.SocketIOEndPoint?.Port ?? 0;
        var host = context.Request.Host.Host;
        return $"{(listeners.SocketIOTls ? "https" : "http")}://{host}:{port}";
    }

    private static string AsServed(string page)
    {
        page = ReplaceLink(page, RemoteFontLinkStart, "");
        page = ReplaceLink(page, RemoteIconLinkStart, LocalIconLink);
        // config.js runs before the UI's scripts, which read the settings it stores as they start.
        const string firstScript = "<script src=\"js/";
        var scriptAt = page.IndexOf(firstScript, StringComparison.Ordinal);
        if (scriptAt < 0)
        {
            throw new InvalidOperationException("The Admin UI page no longer loads its scripts from js/: check where config.js goes.");
        }
        return page.Insert(scriptAt, "<script src=\"config.js\"></script>");
    }

    private static string ReplaceLink(string page, string start, string replacement)
    {
        var at = page.IndexOf(start, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"The Admin UI page no longer links \"{start}\": check what it loads from other hosts.");
        }
        var end = page.IndexOf('>', at) + 1;
        return string.Concat(page.AsSpan(0, at), replacement, page.AsSpan(end));
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".js" => "application/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        ".html" => "text/html; charset=utf-8",
        ".woff2" => "font/woff2",
        ".woff" => "font/woff",
        _ => "application/octet-stream",
    };
}
