using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PushServer.Configuration;

namespace PushServer.Hosting;

/// <summary>
/// The Socket.IO port's own pages: the demo chat at <c>/</c> and the socket.io client bundles with their source maps,
/// taken from the npm packages at build time and embedded in the executable, so the demo works with no network. Each
/// answers HEAD as GET without the body.
/// </summary>
internal static class DemoEndpoints
{
    private const string JavaScript = "application/javascript; charset=utf-8";
    private const string Json = "application/json; charset=utf-8";
    private const string Html = "text/html; charset=utf-8";

    /// <summary>The 2.x bundle's last line names its map as the 4.x bundle does; it is served under its own name.</summary>
    private const string V2MapReference = "//# sourceMappingURL=socket.io.js.map";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/socket.io/socket.io.js", "PushServer.ClientLibrary.socket.io.js", JavaScript),
        ("/socket.io/socket.io.js.map", "PushServer.ClientLibrary.socket.io.js.map", Json),
        ("/socket.io/socket.io.min.js", "PushServer.ClientLibrary.socket.io.min.js", JavaScript),
        ("/socket.io/socket.io.min.js.map", "PushServer.ClientLibrary.socket.io.min.js.map", Json),
        ("/socket.io/socket.io.v2.js", "PushServer.ClientLibrary.socket.io.v2.js", JavaScript),
        ("/socket.io/socket.io.v2.js.map", "PushServer.ClientLibrary.socket.io.v2.js.map", Json),
    ];

    /// <summary>Maps each file as a GET and HEAD endpoint tagged for the Socket.IO listener.</summary>
    public static void MapDemo(this IEndpointRouteBuilder endpoints, object socketIORole)
    {
        var assembly = typeof(DemoEndpoints).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            var content = EmbeddedFiles.Read(assembly, resource);
            if (path == "/socket.io/socket.io.v2.js")
            {
                content = RenameMap(content);
            }
            // Literal routes win over the Engine.IO endpoint's catch-all under /socket.io/.
            endpoints.MapMethods(path, GetAndHead, context => EmbeddedFiles.WriteAsync(context, contentType, "public, max-age=3600", content))
                .WithMetadata(socketIORole);
        }

        var page = Encoding.UTF8.GetString(EmbeddedFiles.Read(assembly, "PushServer.Demo.index.html"));
        endpoints.MapMethods("/", GetAndHead, context =>
                // Not cached: the page shows the push port's address, which a restart may change.
                EmbeddedFiles.WriteAsync(context, Html, "no-cache", Encoding.UTF8.GetBytes(Render(page, context))))
            .WithMetadata(socketIORole);
    }

    /// <summary>The page with the curl line for this server, HTML-encoded.</summary>
    private static string Render(string page, HttpContext context)
    {
        var services = context.RequestServices;
        var push = services.GetRequiredService<IOptions<PushApiSettings>>().Value;
        var port = services.GetRequiredService<ListenerEndpoints>().PushEndPoint?.Port ?? push.Port;
        var (command, note) = DemoPushExample.For(push, port, context.Request.Host.HasValue ? context.Request.Host.Host : null);
        return page
            .Replace("{{PUSH_CURL}}", WebUtility.HtmlEncode(command), StringComparison.Ordinal)
            .Replace("{{PUSH_NOTE}}", WebUtility.HtmlEncode(note), StringComparison.Ordinal);
    }


    private static byte[] RenameMap(byte[] bundle)
    {
        var text = Encoding.UTF8.GetString(bundle);
        var at = text.LastIndexOf(V2MapReference, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"The socket.io 2.x bundle no longer ends with \"{V2MapReference}\": check the served map name.");
        }
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), "//# sourceMappingURL=socket.io.v2.js.map", text.AsSpan(at + V2MapReference.Length)));
    }
}
