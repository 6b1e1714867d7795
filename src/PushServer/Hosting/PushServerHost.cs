using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.Hosting.Tls;
using PushServer.Logging;
using PushServer.Metrics;
using PushServer.PushApi;
using PushServer.SocketIO;
using PushServer.SocketIO.Redis;
using Serilog;

namespace PushServer.Hosting;

/// <summary>
/// The server: one Generic Host, two Kestrel listeners. The client listener serves <c>/socket.io/</c>; the push
/// listener serves the push API, <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>. Endpoints are tagged
/// with their listener and hidden from the other one.
/// </summary>
internal static partial class PushServerHost
{
    /// <summary>Where clients connect, as socket.io's default.</summary>
    public const string SocketIOPath = "/socket.io";

    /// <summary>Builds the server from a checked configuration (see <see cref="ConfigurationCheck"/>).</summary>
    /// <param name="loaded">The configuration.</param>
    /// <param name="handleSignals">Whether SIGTERM/SIGINT start a graceful shutdown; false when hosted inside tests.</param>
    /// <param name="configureServices">Test hook to replace services.</param>
    public static WebApplication Build(LoadedConfiguration loaded, bool handleSignals = true, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Only our own layers: defaults, file, PUSHSERVER_ variables, flags.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(loaded.Configuration);

        var services = builder.Services;
        services.AddPushServerOptions(loaded);
        var server = Section<ServerOptions>(loaded, ServerOptions.Section);
        var pushApi = Section<PushApiOptions>(loaded, PushApiOptions.Section);
        var logging = Section<LoggingSettings>(loaded, LoggingSettings.Section);
        var shutdown = Section<ShutdownOptions>(loaded, ShutdownOptions.Section);

        builder.Logging.ClearProviders();
        var logStats = new LogPipelineStats();
        services.AddSingleton(logStats);
        // The system clock: the logger exists before the container, and its windows only pace summary lines.
        services.AddSerilog(SerilogSetup.CreateLogger(logging, TimeProvider.System, logStats), dispose: true);

        var listeners = new ListenerEndpoints();
        services.AddSingleton(listeners);
        var headersTimeout = TimeSpan.FromMilliseconds(server.RequestHeadersTimeout);
        listeners.SocketIOLimits.RequestHeadersTimeout = headersTimeout;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The first request head of a Socket.IO connection is held to this from the accept (by the Engine.IO
            // listener); later ones on a kept-alive connection, and the push port's, from their first byte by Kestrel.
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
                    SocketIOPath,
                    () => services.GetRequiredService<EngineServer>(),
                    server.ConnectionLevelWebSockets ? () => !services.GetRequiredService<DrainState>().IsDraining : static () => false,
                    listeners.SocketIOLimits);
            });
            Listen(kestrel, pushApi.Bind, pushApi.Port, ListenerRole.Push, o =>
            {
                listeners.Push = o;
                // Counted before the TLS handshake, so a refused connection costs no handshake.
                listeners.PushLimits = new PushConnectionCap(
                    pushApi.MaxConnections, o.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.PushApi"));
                o.Use(listeners.PushLimits.Wrap);
                if (pushApi.Tls)
                {
                    UseTls(o, headersTimeout);
                    listeners.PushTls = true;
                }
            });
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.DrainBudget);
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

        services.AddSocketIO();
        var redis = Section<RedisOptions>(loaded, RedisOptions.Section);
        if (redis.Url.Length > 0)
        {
            // Rooms and broadcasts go through Redis, wire-compatible with Node's @socket.io/redis-adapter (pub/sub) or
            // @socket.io/redis-streams-adapter (streams); the health check joins /health/ready.
            void Connection(RedisAdapterOptions o)
            {
                o.Configuration = redis.Url;
                o.RequestsTimeout = TimeSpan.FromMilliseconds(redis.RequestsTimeout);
            }
            if (redis.Adapter == RedisOptions.StreamsAdapter)
            {
                services.AddSocketIORedisStreams(Connection, s =>
                {
                    s.StreamName = redis.StreamName;
                    s.MaxLength = redis.StreamMaxLength;
                });
            }
            else
            {
                services.AddSocketIORedis(Connection);
            }
        }
        services.AddOptions<SocketIOOptions>().Configure<IOptions<SocketIOSettings>, IOptions<EngineIOSettings>>((o, s, e) =>
        {
            s.Value.ApplyTo(o);
            // One knob for operators: a broadcast may be as large as a client's whole outbound queue, no larger.
            o.MaxOutboundPacketBytes = e.Value.MaxOutboundQueueBytes;
        });
        services.AddSingleton<DrainState>();
        services.AddSingleton<PushServerMetrics>();
        services.AddSingleton(sp =>
        {
            var engineOptions = new EngineIOOptions();
            sp.GetRequiredService<IOptions<EngineIOSettings>>().Value.ApplyTo(engineOptions);
            var io = sp.GetRequiredService<SocketIOServer>();
            return new EngineServer(
                new MeteredConnectionHandler(io.ConnectionHandler, sp.GetRequiredService<PushServerMetrics>()),
                engineOptions,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>());
        });
        services.AddSingleton(new SignalHandling(handleSignals));
        services.AddSingleton<GracefulShutdown>();
        services.AddSingleton<IHostLifetime>(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GracefulShutdown>());
        services.AddSingleton<IHostedService, SystemdReadiness>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerRoleMatcherPolicy>());
        services.AddSingleton<StatsCollector>();
        services.AddSingleton(sp => new Webhooks.WebhookClient(sp.GetRequiredService<IOptions<WebhookSettings>>().Value));
        services.AddSingleton(sp => new Webhooks.LifecycleWebhookQueue(
            sp.GetRequiredService<Webhooks.WebhookClient>(),
            sp.GetRequiredService<IOptions<WebhookSettings>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Webhooks.LifecycleWebhookQueue>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<Webhooks.LifecycleWebhookQueue>());
        services.AddSingleton<PushExecutor>();
        services.AddSingleton<PushApiHandler>();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready", tags: [ReadinessHealthCheck.Tag]);
        configureServices?.Invoke(services);

        var app = builder.Build();
        // Created now, not at the first stats request, so uptime counts from start-up.
        app.Services.GetRequiredService<StatsCollector>();
        // Loaded and watched from start-up, not from the first handshake.
        app.Services.GetService<TlsCertificateSource>();
        app.UseMiddleware<ListenerIsolationMiddleware>();
        app.UseMiddleware<HandshakeDrainMiddleware>();
        app.UseMiddleware<PushApiGateMiddleware>();

        var socketIO = app.Services.GetRequiredService<SocketIOServer>();
        foreach (var name in app.Services.GetRequiredService<IOptions<SocketIOSettings>>().Value.Namespaces)
        {
            socketIO.Of(name);
        }
        Behaviours.RelayBehaviour.Apply(
            socketIO,
            app.Services.GetRequiredService<IOptions<RelaySettings>>().Value,
            app.Services.GetRequiredService<PushServerMetrics>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.Relay"));
        Behaviours.ClientRoomsBehaviour.Apply(socketIO, app.Services.GetRequiredService<IOptions<RoomSettings>>().Value);
        Behaviours.WebMsgSenderBehaviour.Apply(
            socketIO,
            app.Services.GetRequiredService<IOptions<WebMsgSenderSettings>>().Value,
            app.Services.GetRequiredService<IOptions<PushApiOptions>>().Value);
        Webhooks.WebhookBehaviour.Apply(
            socketIO,
            app.Services.GetRequiredService<IOptions<WebhookSettings>>().Value,
            app.Services.GetRequiredService<Webhooks.WebhookClient>(),
            app.Services.GetRequiredService<Webhooks.LifecycleWebhookQueue>(),
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.Webhooks"));
        Auth.JwtAuthBehaviour.Apply(
            socketIO,
            app.Services.GetRequiredService<IOptions<AuthSettings>>().Value,
            app.Services.GetRequiredService<IOptions<PushApiOptions>>().Value,
            app.Services.GetRequiredService<IOptions<SocketIOSettings>>().Value.Namespaces.Append("/"),
            app.Services.GetRequiredService<TimeProvider>());
        var engine = app.Services.GetRequiredService<EngineServer>();
        // Last, so the namespaces above exist and are observed.
        if (AdminUi.AdminUiInstrumentation.Apply(
            socketIO, app.Services.GetRequiredService<IOptions<AdminUiSettings>>().Value, engine,
            app.Services.GetRequiredService<TimeProvider>(), app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer.AdminUi")) is { } adminUi)
        {
            app.Lifetime.ApplicationStopping.Register(adminUi.Dispose);
        }
        app.Services.GetRequiredService<PushServerMetrics>().Observe(
            engine, socketIO, app.Services.GetRequiredService<DrainState>(), listeners, logStats);

        var socketIORole = new ListenerRoleMetadata(ListenerRole.SocketIO);
        var pushRole = new ListenerRoleMetadata(ListenerRole.Push);
        app.MapEngineIO(SocketIOPath, engine).WithMetadata(socketIORole);
        app.MapDemo(socketIORole);
        app.MapPushApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(pushRole);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadinessHealthCheck.Tag) })
            .WithMetadata(pushRole);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<PushServerMetrics>().Registry).WithMetadata(pushRole);
        return app;
    }

    /// <summary>Logs where the server listens, once started.</summary>
    public static void LogListening(WebApplication app)
    {
        var listeners = app.Services.GetRequiredService<ListenerEndpoints>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer");
        Log.Listening(logger, ListenerEndpoints.Url(listeners.SocketIOEndPoint, listeners.SocketIOTls) + SocketIOPath + "/",
            ListenerEndpoints.Url(listeners.PushEndPoint, listeners.PushTls));
        if (listeners.SocketIOLimits.MaxConnections > 0)
        {
            Log.ConnectionCap(logger, listeners.SocketIOLimits.MaxConnections, listeners.SocketIOLimitsSource);
        }
        else
        {
            Log.NoConnectionCap(logger, listeners.SocketIOLimitsSource);
        }
        var redis = app.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
        if (redis.Url.Length > 0)
        {
            Log.RedisAdapter(logger, EffectiveConfiguration.MaskUrl(redis.Url), redis.Adapter);
        }
    }

    private static T Section<T>(LoadedConfiguration loaded, string name)
        where T : new() => loaded.Configuration.GetSection(name).Get<T>() ?? new T();

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

    private static partial class Log
    {
        [LoggerMessage(EventId = PushServerEventIds.Listening, Level = LogLevel.Information,
            Message = "Listening: Socket.IO on {SocketIOUrl}, push API on {PushUrl}")]
        public static partial void Listening(Microsoft.Extensions.Logging.ILogger logger, string socketIOUrl, string pushUrl);

        [LoggerMessage(EventId = PushServerEventIds.ConnectionCap, Level = LogLevel.Information,
            Message = "Socket.IO port: at most {MaxConnections} connections at once ({CapSource})")]
        public static partial void ConnectionCap(Microsoft.Extensions.Logging.ILogger logger, int maxConnections, string capSource);

        [LoggerMessage(EventId = PushServerEventIds.NoConnectionCap, Level = LogLevel.Warning,
            Message = "Socket.IO port: no cap on connections ({CapSource})")]
        public static partial void NoConnectionCap(Microsoft.Extensions.Logging.ILogger logger, string capSource);

        [LoggerMessage(EventId = PushServerEventIds.RedisAdapter, Level = LogLevel.Information,
            Message = "Cluster mode: rooms and broadcasts shared through Redis at {RedisUrl} ({RedisAdapter})")]
        public static partial void RedisAdapter(Microsoft.Extensions.Logging.ILogger logger, string redisUrl, string redisAdapter);
    }
}
