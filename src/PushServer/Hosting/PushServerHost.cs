using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.Behaviours;
using PushServer.Configuration;
using PushServer.Hosting.Tls;
using PushServer.PushApi;

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
    /// <remarks>
    /// Each step is an extension method in its own file. The order of the service steps is the order of the hosted
    /// services they add (the lifetime's before the webhook queue's before the health checks'), so it is kept.
    /// </remarks>
    public static WebApplication Build(LoadedConfiguration loaded, bool handleSignals = true, Action<IServiceCollection>? configureServices = null)
    {
        var builder = CreateBuilder(loaded);
        builder.Services.AddPushServerSettings(loaded);
        builder.AddPushServerLogging(loaded);
        builder.AddPushServerListeners(loaded);
        builder.Services
            .AddPushServerSocketIO(loaded)
            .AddPushServerLifetime(loaded, handleSignals)
            .AddPushServerBehaviours()
            .AddPushServerPushApi()
            .AddPushServerMonitoring();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // Created now, not at first use: uptime counts from start-up, and the certificate is loaded and watched from
        // start-up rather than from the first handshake.
        app.Services.GetRequiredService<StatsCollector>();
        app.Services.GetService<TlsCertificateSource>();
        app.UsePushServerMiddleware();
        app.UsePushServerSocketIO();
        app.MapPushServerEndpoints();
        app.MapPushServerMonitoring();
        return app;
    }

    /// <summary>
    /// Logs where the server listens, once started, and how it was set up: its connection cap, Redis, and whether
    /// glibc returns large native blocks (<paramref name="largeNativeBlocksReturned"/>, see <see cref="NativeHeapReturn"/>).
    /// </summary>
    public static void LogListening(WebApplication app, bool largeNativeBlocksReturned)
    {
        var listeners = app.Services.GetRequiredService<ListenerEndpoints>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PushServer");
        Log.Listening(logger, ListenerEndpoints.Url(listeners.SocketIOEndPoint, listeners.SocketIOTls) + SocketIOPath + "/",
            ListenerEndpoints.Url(listeners.PushEndPoint, listeners.PushTls));
        if (largeNativeBlocksReturned)
        {
            Log.LargeNativeBlocksReturned(logger, NativeHeapReturn.Threshold);
        }
        if (listeners.SocketIOLimits.MaxConnections > 0)
        {
            Log.ConnectionCap(logger, listeners.SocketIOLimits.MaxConnections, listeners.SocketIOLimitsSource);
        }
        else
        {
            Log.NoConnectionCap(logger, listeners.SocketIOLimitsSource);
        }
        var redis = app.Services.GetRequiredService<IOptions<RedisSettings>>().Value;
        if (redis.Url.Length > 0)
        {
            Log.RedisAdapter(logger, EffectiveConfiguration.MaskUrl(redis.Url), redis.Adapter);
        }
    }

    /// <summary>A slim host whose configuration is only ours: defaults, file, <c>PUSHSERVER_</c> variables, flags.</summary>
    private static WebApplicationBuilder CreateBuilder(LoadedConfiguration loaded)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(loaded.Configuration);
        return builder;
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

        [LoggerMessage(EventId = PushServerEventIds.LargeNativeBlocksReturned, Level = LogLevel.Debug,
            Message = "glibc: native blocks of {ThresholdBytes} bytes and more get their own mapping, returned when freed")]
        public static partial void LargeNativeBlocksReturned(Microsoft.Extensions.Logging.ILogger logger, int thresholdBytes);
    }
}
