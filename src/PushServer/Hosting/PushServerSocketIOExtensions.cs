using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PushServer.AdminUi;
using PushServer.Behaviours;
using PushServer.Configuration;
using PushServer.EngineIO;
using PushServer.EngineIO.Routing;
using PushServer.Metrics;
using PushServer.SocketIO;
using PushServer.SocketIO.Redis;

namespace PushServer.Hosting;

/// <summary>Start-up step: the Engine.IO and Socket.IO servers, with Redis when configured.</summary>
internal static class PushServerSocketIOExtensions
{
    /// <summary>
    /// Registers the Socket.IO server (its options from the <c>SocketIO</c> and <c>EngineIO</c> sections), the Redis
    /// adapter the <c>Redis</c> section asks for, and the Engine.IO server that feeds it, metered.
    /// </summary>
    public static IServiceCollection AddPushServerSocketIO(this IServiceCollection services, LoadedConfiguration loaded)
    {
        services.AddSocketIO();
        var redis = loaded.Section<RedisSettings>(RedisSettings.Section);
        if (redis.Url.Length > 0)
        {
            // Rooms and broadcasts go through Redis, wire-compatible with Node's @socket.io/redis-adapter (pub/sub, or
            // sharded with createShardedAdapter) or @socket.io/redis-streams-adapter (streams); the health check joins
            // /health/ready.
            void Connection(RedisAdapterOptions o)
            {
                o.Configuration = redis.Url;
                o.RequestsTimeout = TimeSpan.FromMilliseconds(redis.RequestsTimeout);
            }
            if (redis.Adapter == RedisSettings.StreamsAdapter)
            {
                services.AddSocketIORedisStreams(Connection, s =>
                {
                    s.StreamName = redis.StreamName;
                    s.MaxLength = redis.StreamMaxLength;
                });
            }
            else if (redis.Adapter == RedisSettings.ShardedAdapter)
            {
                // Validated at start: the mode is one of the three.
                var mode = redis.ParseSubscriptionMode() ?? SocketIO.Redis.ShardedSubscriptionMode.Dynamic;
                services.AddSocketIORedisSharded(Connection, s => s.SubscriptionMode = mode);
            }
            else
            {
                services.AddSocketIORedis(Connection);
            }
            if (loaded.Section<ClusterSettings>(ClusterSettings.Section).RouteForeignSessions)
            {
                services.AddPushServerSessionRouting();
            }
        }
        services.AddOptions<SocketIOOptions>().Configure<IOptions<SocketIOSettings>, IOptions<EngineIOSettings>>((o, s, e) =>
        {
            s.Value.ApplyTo(o);
            // One knob for operators: a broadcast may be as large as a client's whole outbound queue, no larger.
            o.MaxOutboundPacketBytes = e.Value.MaxOutboundQueueBytes;
        });
        services.AddSingleton<AdminUiTraffic>();
        services.AddSingleton(sp =>
        {
            var engineOptions = new EngineIOOptions();
            sp.GetRequiredService<IOptions<EngineIOSettings>>().Value.ApplyTo(engineOptions);
            engineOptions.SessionRouter = sp.GetService<ClusterSessionRouter>();
            var io = sp.GetRequiredService<SocketIOServer>();
            IEngineConnectionHandler handler = new MeteredConnectionHandler(io.ConnectionHandler, sp.GetRequiredService<PushServerMetrics>());
            if (sp.GetRequiredService<IOptions<AdminUiSettings>>().Value.Enabled)
            {
                // Only then: the Admin UI's chart counts would otherwise cost every packet for nothing.
                handler = new AdminUiTrafficHandler(handler, sp.GetRequiredService<AdminUiTraffic>());
            }
            return new EngineServer(
                handler,
                engineOptions,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>());
        });
        return services;
    }

    /// <summary>
    /// Creates the namespaces <c>SocketIO:Namespaces</c> serves, then applies the behaviours to the server, in the order
    /// <see cref="PushServerBehaviourExtensions"/> documents.
    /// </summary>
    public static WebApplication UsePushServerSocketIO(this WebApplication app)
    {
        var socketIO = app.Services.GetRequiredService<SocketIOServer>();
        foreach (var name in app.Services.GetRequiredService<IOptions<SocketIOSettings>>().Value.Namespaces)
        {
            socketIO.Of(name);
        }
        app.Services.ApplyPushServerBehaviours(socketIO);
        return app;
    }
}
