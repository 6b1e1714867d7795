using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PushServer.EngineIO.ConnectionLevelWebSockets;

namespace PushServer.EngineIO;

/// <summary>Accepts Engine.IO WebSockets at the connection level, below Kestrel's HTTP layer.</summary>
public static class EngineIOConnectionBuilderExtensions
{
    /// <summary>
    /// Lets <paramref name="server"/> accept WebSocket upgrades addressed to <paramref name="path"/> straight off the
    /// connections of a listener, without the HTTP objects an upgrade through ASP.NET Core keeps for the
    /// connection's life. Only plain requests the server accepts are taken; every other request, refusals included,
    /// goes on to the HTTP pipeline, where <c>MapEngineIO</c> must serve the same path. On a TLS listener, call it
    /// after <c>UseHttps</c>: the upgrades are then taken from the decrypted connection (with
    /// <see cref="UseEngineIOSocketTransport"/> the listener only counts and times those connections, since it cannot
    /// read their first bytes, and hands each one on).
    /// <code>kestrel.ListenAnyIP(3000, o =&gt; o.UseEngineIOWebSockets("/socket.io", () =&gt; engine));</code>
    /// </summary>
    /// <param name="builder">The listener's connection pipeline (a Kestrel <c>ListenOptions</c>).</param>
    /// <param name="path">The path the server is mapped under.</param>
    /// <param name="server">The server, resolved on the first connection (the host's services are built by then).</param>
    /// <param name="accepting">When false, new upgrades are left to the HTTP pipeline (e.g. to refuse them while draining).</param>
    /// <param name="limits">
    /// The cap on the listener's connections and the deadline of their first request head; by default no cap and
    /// <see cref="EngineIOConnectionLimits.DefaultRequestHeadersTimeout"/>. With
    /// <see cref="UseEngineIOSocketTransport"/> the cap acts on accept, before Kestrel builds anything for the connection.
    /// </param>
    public static TBuilder UseEngineIOWebSockets<TBuilder>(
        this TBuilder builder, string path, Func<EngineServer> server, Func<bool>? accepting = null, EngineIOConnectionLimits? limits = null)
        where TBuilder : IConnectionBuilder
    {
        ArgumentNullException.ThrowIfNull(server);
        var prefix = "/" + path.Trim('/') + "/";
        if (prefix == "//")
        {
            prefix = "/";
        }
        var acceptor = new ConnectionWebSocketAcceptor(prefix, server, accepting ?? (static () => true), limits ?? new EngineIOConnectionLimits());
        // With the Engine.IO socket transport, the listener itself takes the upgrades off the bare socket; the
        // middleware then still serves a connection the listener handed on (say, a head split over two segments).
        if (builder is ListenOptions listen && listen.ApplicationServices.GetService(typeof(EngineIOWebSocketEndpoints)) is EngineIOWebSocketEndpoints endpoints)
        {
            endpoints.Add(listen, acceptor);
        }
        builder.Use(next => connection => acceptor.OnConnectionAsync(connection, next));
        return builder;
    }

    /// <summary>
    /// Replaces Kestrel's socket transport with one that, on endpoints configured with
    /// <see cref="UseEngineIOWebSockets"/>, serves accepted Engine.IO WebSockets on the bare socket: no Kestrel
    /// connection, pipes or middleware stay alive for them, which roughly halves what an idle WebSocket costs. Every
    /// other connection, and every other endpoint, is served by Kestrel's socket transport as before. Call after any
    /// <c>UseSockets</c>; its options apply to both.
    /// </summary>
    public static IWebHostBuilder UseEngineIOSocketTransport(this IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services =>
        {
            services.TryAddSingleton<EngineIOWebSocketEndpoints>();
            for (var i = services.Count - 1; i >= 0; i--)
            {
                if (services[i].ServiceType == typeof(IConnectionListenerFactory) && services[i].ImplementationType == typeof(SocketTransportFactory))
                {
                    services.RemoveAt(i);
                }
            }
            services.AddSingleton<IConnectionListenerFactory, EngineIOSocketTransportFactory>();
        });
    }
}
