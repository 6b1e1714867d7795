using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.Hosting.Tls;

namespace PushServer.Hosting;

/// <summary>
/// Start-up step: the two Kestrel listeners. The Socket.IO port is capped and timed by the Engine.IO listener, which
/// takes accepted WebSockets off the bare socket; the push port is capped on accept. Either may run TLS. Each
/// listener tags its connections with its role, and <see cref="ListenerRoleMatcherPolicy"/> hides the other
/// listener's endpoints.
/// </summary>
internal static class PushServerListenerExtensions
{
    /// <summary>Configures Kestrel's listeners from the <c>Server</c> and <c>PushApi</c> sections.</summary>
    public static WebApplicationBuilder AddPushServerListeners(this WebApplicationBuilder builder, LoadedConfiguration loaded)
    {
        var server = loaded.Section<ServerSettings>(ServerSettings.Section);
        var pushApi = loaded.Section<PushApiSettings>(PushApiSettings.Section);
        var services = builder.Services;

        var listeners = new ListenerEndpoints();
        services.AddSingleton(listeners);
        var headersTimeout = TimeSpan.FromMilliseconds(server.RequestHeadersTimeout);
        listeners.SocketIOLimits.RequestHeadersTimeout = headersTimeout;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The first request head of a Socket.IO connection is held to this from the accept (by the Engine.IO
            // listener); a push connection's first byte likewise (by PushConnectionCap); every head from its first
            // byte by Kestrel.
            kestrel.Limits.RequestHeadersTimeout = headersTimeout;
            // Derived here, as the server starts: the descriptors open by now are the runtime's own.
            (listeners.SocketIOLimits.MaxConnections, listeners.SocketIOLimitsSource) = ConnectionCapacity.Resolve(server);
            Listen(kestrel, server.Bind, server.Port, ListenerRole.SocketIO, o =>
            {
                listeners.SocketIO = o;
                var services = o.ApplicationServices;
                if (server.Tls.Enabled)
                {
                    // Before the Engine.IO middleware, which then reads the decrypted bytes: accepted WebSockets still
                    // skip Kestrel's HTTP objects, but run on the TLS connection's pipes, not the bare socket (the
                    // Engine.IO listener only counts and times these connections and hands each one on).
                    UseTls(o, headersTimeout);
                    listeners.SocketIOTls = true;
                }
                // The Engine.IO listener caps and times the port's connections either way; with connection-level
                // WebSockets off it takes no upgrade itself and every one goes through ASP.NET Core's middleware.
                o.UseEngineIOWebSockets(
                    PushServerHost.SocketIOPath,
                    () => services.GetRequiredService<EngineServer>(),
                    server.ConnectionLevelWebSockets ? () => !services.GetRequiredService<DrainState>().IsDraining : static () => false,
                    listeners.SocketIOLimits);
            });
            Listen(kestrel, pushApi.Bind, pushApi.Port, ListenerRole.Push, o =>
            {
                listeners.Push = o;
                // Counted before the TLS handshake, so a refused connection costs no handshake.
                var services = o.ApplicationServices;
                listeners.PushLimits = new PushConnectionCap(
                    pushApi.MaxConnections, headersTimeout, services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.PushApi"));
                o.Use(listeners.PushLimits.Wrap);
                if (pushApi.Tls)
                {
                    UseTls(o, headersTimeout);
                    listeners.PushTls = true;
                }
            });
        });
        if (server.InlineIo)
        {
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }
        // The Socket.IO listener counts connections on accept and takes accepted WebSockets off the bare socket (see
        // UseEngineIOWebSockets above).
        builder.WebHost.UseEngineIOSocketTransport();

        if (server.Tls.Enabled)
        {
            services.AddSingleton(sp => new TlsCertificateSource(
                server.Tls, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TlsCertificateSource>>()));
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerRoleMatcherPolicy>());
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, string bind, int port, ListenerRole role, Action<ListenOptions> keep)
    {
        BindAddress.TryParse(bind, out var address);
        kestrel.Listen(address.ListenAddress, port, options =>
        {
            options.Use(ListenerTag.For(role));
            keep(options);
        });
    }

    /// <summary>
    /// TLS on a listener, with the current certificate of <see cref="TlsCertificateSource"/> for each handshake, so a
    /// reloaded one is used from the next connection on. The handshake is held to the same deadline as a request head.
    /// </summary>
    private static void UseTls(ListenOptions listen, TimeSpan handshakeTimeout)
    {
        // HTTP/1.1 only, as Node's https server (and so socket.io's): every WebSocket then arrives as an upgrade the
        // Engine.IO middleware can take, none as an HTTP/2 stream.
        listen.Protocols = HttpProtocols.Http1;
        var services = listen.ApplicationServices;
        TlsCertificateSource? source = null;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult((source ??= services.GetRequiredService<TlsCertificateSource>()).ServerOptions),
            HandshakeTimeout = handshakeTimeout,
        });
    }
}
