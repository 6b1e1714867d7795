using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PushServer.Hosting;

/// <summary>
/// The Socket.IO port's own pages: the demo chat at <c>/</c> and the socket.io client bundles, taken from the npm
/// packages at build time and embedded in the executable, so the demo works with no network.
/// </summary>
internal static class DemoEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "PushServer.Demo.index.html", "text/html; charset=utf-8"),
        ("/socket.io/socket.io.js", "PushServer.ClientLibrary.socket.io.js", "application/javascript; charset=utf-8"),
        ("/socket.io/socket.io.min.js", "PushServer.ClientLibrary.socket.io.min.js", "application/javascript; charset=utf-8"),
        ("/socket.io/socket.io.v2.js", "PushServer.ClientLibrary.socket.io.v2.js", "application/javascript; charset=utf-8"),
    ];

    /// <summary>Maps each file as a GET endpoint tagged for the Socket.IO listener.</summary>
    public static void MapDemo(this IEndpointRouteBuilder endpoints, object socketIORole)
    {
        var assembly = typeof(DemoEndpoints).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            var content = Read(assembly, resource);
            endpoints.MapGet(path, (HttpContext context) =>
            {
                // Literal routes win over the Engine.IO endpoint's catch-all under /socket.io/.
                context.Response.ContentType = contentType;
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return context.Response.Body.WriteAsync(content).AsTask();
            }).WithMetadata(socketIORole);
        }
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded file {resource} is missing: the build installs it from src/PushServer/ClientLibrary (npm ci into obj/ClientLibrary).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
