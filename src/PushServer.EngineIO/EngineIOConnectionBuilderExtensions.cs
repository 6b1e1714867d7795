using Microsoft.AspNetCore.Connections;
using PushServer.EngineIO.Hosting;

namespace PushServer.EngineIO;

/// <summary>Accepts Engine.IO WebSockets at the connection level, below Kestrel's HTTP layer.</summary>
public static class EngineIOConnectionBuilderExtensions
{
    /// <summary>
    /// Lets <paramref name="server"/> accept WebSocket upgrades addressed to <paramref name="path"/> straight off the
    /// connections of a listener, without the HTTP objects an upgrade through ASP.NET Core keeps for the
    /// connection's life. Only plain requests the server accepts are taken; every other request, refusals included,
    /// goes on to the HTTP pipeline, where <c>MapEngineIO</c> must serve the same path. Not for TLS listeners.
    /// <code>kestrel.ListenAnyIP(3000, o =&gt; o.UseEngineIOWebSockets("/socket.io", () =&gt; engine));</code>
    /// </summary>
    /// <param name="builder">The listener's connection pipeline (a Kestrel <c>ListenOptions</c>).</param>
    /// <param name="path">The path the server is mapped under.</param>
    /// <param name="server">The server, resolved on the first connection (the host's services are built by then).</param>
    /// <param name="accepting">When false, new upgrades are left to the HTTP pipeline (e.g. to refuse them while draining).</param>
    public static TBuilder UseEngineIOWebSockets<TBuilder>(this TBuilder builder, string path, Func<EngineServer> server, Func<bool>? accepting = null)
        where TBuilder : IConnectionBuilder
    {
        ArgumentNullException.ThrowIfNull(server);
        var prefix = "/" + path.Trim('/') + "/";
        if (prefix == "//")
        {
            prefix = "/";
        }
        var acceptor = new ConnectionWebSocketAcceptor(prefix, server, accepting ?? (static () => true));
        builder.Use(next => connection => acceptor.OnConnectionAsync(connection, next));
        return builder;
    }
}
