using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PushServer.SocketIO.Adapters;
using PushServer.SocketIO.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis adapter.</summary>
public static class SocketIORedisServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the in-memory adapter with the Redis adapter, so this node and every other node (PushServer or Node's
    /// socket.io with @socket.io/redis-adapter) using the same Redis and key prefix form one cluster. Also registers the
    /// <see cref="RedisAdapterHealthCheck"/> under the tag <c>ready</c>. Options are validated at start.
    /// </summary>
    /// <example><code>
    /// services.AddSocketIO().AddSocketIORedis(o =&gt; o.Configuration = "redis://127.0.0.1:6379");
    /// </code></example>
    public static IServiceCollection AddSocketIORedis(this IServiceCollection services, Action<RedisAdapterOptions>? configure = null)
    {
        var options = services.AddOptions<RedisAdapterOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisAdapterOptions>, RedisAdapterOptionsValidator>());
        services.TryAddSingleton<RedisAdapterConnection>();
        services.Replace(ServiceDescriptor.Singleton<ISocketIOAdapterFactory, RedisAdapterFactory>());
        services.AddHealthChecks().AddCheck<RedisAdapterHealthCheck>(RedisAdapterHealthCheck.Name, tags: [RedisAdapterHealthCheck.Tag]);
        return services;
    }
}
