using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PushServer.EngineIO;
using PushServer.SocketIO;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the Socket.IO server on ASP.NET Core routing.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Socket.IO under <paramref name="path"/> (socket.io's default is <c>/socket.io</c>) over the Engine.IO
    /// endpoint, after <paramref name="configure"/> has set up namespaces and handlers. Needs <c>services.AddSocketIO()</c>.
    /// </summary>
    /// <example><code>
    /// app.MapSocketIO("/socket.io", io =&gt; io.OnConnection(socket =&gt;
    ///     socket.On("chat message", e =&gt; io.Emit("chat message", e.Args[0]))));
    /// </code></example>
    public static IEndpointConventionBuilder MapSocketIO(
        this IEndpointRouteBuilder endpoints,
        string path,
        Action<SocketIOServer>? configure = null,
        Action<EngineIOOptions>? configureEngine = null)
    {
        var server = endpoints.ServiceProvider.GetRequiredService<SocketIOServer>();
        configure?.Invoke(server);
        return endpoints.MapEngineIO(path, server.ConnectionHandler, configureEngine);
    }
}
