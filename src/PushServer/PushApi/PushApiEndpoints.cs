using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PushServer.Hosting;

namespace PushServer.PushApi;

/// <summary>Maps the push API on the push listener.</summary>
internal static class PushApiEndpoints
{
    /// <summary>
    /// <c>/</c> (phpsocket.io's <c>?msg=</c> and web-msg-sender's form; a browser gets the <see cref="StatusPage"/>), <c>/api/emit</c>, <c>/api/stats</c>,
    /// <c>/api/namespaces/{ns}/rooms|sockets</c> and <c>/api/sockets/join|leave|disconnect</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapPushApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("").WithMetadata(new ListenerRoleMetadata(ListenerRole.Push));
        Map(group, "/", "root", ["GET", "POST"], (c, o) => PushRequestReader.ReadRootAsync(c, o));
        Map(group, "/api/emit", "emit", ["POST"], async (c, o) => await PushRequestReader.ReadEmitAsync(c, o).ConfigureAwait(false));
        Map(group, "/api/stats", "stats", ["GET"], (_, _) => Task.FromResult<PushRequest?>(
            new PushRequest { Operation = PushOperation.Stats, Source = "stats" }));
        Map(group, "/api/namespaces/{ns}/rooms", "rooms", ["GET"], (c, _) => Task.FromResult<PushRequest?>(new PushRequest
        {
            Operation = PushOperation.ListRooms,
            Source = "rooms",
            Namespace = PushRequestReader.NamespaceFromRoute(c.GetRouteValue("ns") as string),
        }));
        Map(group, "/api/namespaces/{ns}/sockets", "sockets", ["GET"], (c, _) => Task.FromResult<PushRequest?>(new PushRequest
        {
            Operation = PushOperation.ListSockets,
            Source = "sockets",
            Namespace = PushRequestReader.NamespaceFromRoute(c.GetRouteValue("ns") as string),
            Rooms = c.Request.Query["room"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToArray(),
        }));
        foreach (var (path, operation) in new[] { ("join", PushOperation.Join), ("leave", PushOperation.Leave), ("disconnect", PushOperation.Disconnect) })
        {
            Map(group, "/api/sockets/" + path, path, ["POST"],
                async (c, o) => await PushRequestReader.ReadSocketsOperationAsync(c, o, operation).ConfigureAwait(false));
        }
        return group;
    }

    private static void Map(
        RouteGroupBuilder group, string pattern, string source, string[] methods,
        Func<HttpContext, Configuration.PushApiSettings, Task<PushRequest?>> read)
    {
        // Mapped for every method so a wrong one gets a JSON 405 rather than routing's empty one.
        group.Map(pattern, context =>
        {
            if (pattern == "/" && StatusPage.IsBrowserVisit(context))
            {
                return StatusPage.WriteAsync(context);
            }
            if (!methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Headers.Allow = string.Join(", ", methods);
                return PushApiHandler.WriteErrorAsync(context, PushErrorCode.MethodNotAllowed,
                    $"{context.Request.Method} is not allowed here; use {string.Join(" or ", methods)}.");
            }
            return context.RequestServices.GetRequiredService<PushApiHandler>().HandleAsync(context, source, read);
        });
    }
}
