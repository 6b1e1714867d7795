using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PushServer.EngineIO.Routing;
using PushServer.SocketIO.Redis;
using PushServer.SocketIO.Redis.Routing;

namespace PushServer.Hosting;

/// <summary>
/// Start-up step, in cluster mode with <c>Cluster:RouteForeignSessions</c>: this node names itself in the ids of its
/// sessions, publishes where it can be reached in the Redis node directory, and relays requests for other nodes'
/// sessions to them, so the cluster needs no sticky sessions (docs/load-balancing.md).
/// </summary>
internal static class PushServerSessionRoutingExtensions
{
    public static IServiceCollection AddPushServerSessionRouting(this IServiceCollection services)
    {
        services.AddSingleton(sp => new RedisNodeDirectory(
            sp.GetRequiredService<RedisAdapterConnection>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RedisNodeDirectory>>()));
        services.AddSingleton(sp => new ClusterSessionRouter(
            RoutedSessionIds.NewNodeTag(),
            sp.GetRequiredService<RedisNodeDirectory>(),
            loggerFactory: sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<NodeDirectoryPublication>();
        return services;
    }
}
