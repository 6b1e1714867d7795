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

    /// <summary>
    /// Replaces the in-memory adapter with the Redis Streams adapter, wire-compatible with Node's
    /// @socket.io/redis-streams-adapter 0.2.x: every node (PushServer or Node) writing to and reading the same stream
    /// in the same Redis forms one cluster. Unlike pub/sub, the stream keeps what was written, so with connection state
    /// recovery on (<see cref="PushServer.SocketIO.SocketIOOptions.ConnectionStateRecovery"/>) a client recovers its
    /// session and missed events on any node, also on a node started after it disconnected. Also registers the
    /// <see cref="RedisAdapterHealthCheck"/> under the tag <c>ready</c>. Options are validated at start.
    /// </summary>
    /// <example><code>
    /// services.AddSocketIO(o =&gt; o.ConnectionStateRecovery = new())
    ///     .AddSocketIORedisStreams(o =&gt; o.Configuration = "redis://127.0.0.1:6379", s =&gt; s.MaxLength = 50_000);
    /// </code></example>
    public static IServiceCollection AddSocketIORedisStreams(
        this IServiceCollection services, Action<RedisAdapterOptions>? configure = null, Action<RedisStreamsAdapterOptions>? configureStreams = null)
        => services.AddSocketIORedisVariant<RedisStreamsAdapterOptions, RedisStreamsAdapterOptionsValidator, RedisStreamsCluster, RedisStreamsAdapterFactory>(
            configure, configureStreams);

    /// <summary>
    /// Replaces the in-memory adapter with the sharded pub/sub adapter (Redis 7's SPUBLISH/SSUBSCRIBE), wire-compatible
    /// with Node's @socket.io/redis-adapter 8.x <c>createShardedAdapter</c> in the same subscription mode: every node
    /// (PushServer or Node) on the same Redis (usually a Redis Cluster) with the same key prefix forms one cluster. Also
    /// registers the <see cref="RedisAdapterHealthCheck"/> under the tag <c>ready</c>. Options are validated at start.
    /// </summary>
    /// <example><code>
    /// services.AddSocketIO().AddSocketIORedisSharded(
    ///     o =&gt; o.Configuration = "redis://10.0.0.1:7000,redis://10.0.0.2:7000", s =&gt; s.SubscriptionMode = ShardedSubscriptionMode.Static);
    /// </code></example>
    public static IServiceCollection AddSocketIORedisSharded(
        this IServiceCollection services, Action<RedisAdapterOptions>? configure = null, Action<RedisShardedAdapterOptions>? configureSharded = null)
        => services.AddSocketIORedisVariant<RedisShardedAdapterOptions, RedisShardedAdapterOptionsValidator, RedisShardedCluster, RedisShardedAdapterFactory>(
            configure, configureSharded);

    /// <summary>
    /// The Redis connection and health check of <see cref="AddSocketIORedis"/>, then an adapter of another kind: its
    /// own options (validated at start), the part its namespaces share, and its factory in place of the pub/sub one.
    /// </summary>
    private static IServiceCollection AddSocketIORedisVariant<TOptions, TValidator, TShared, TFactory>(
        this IServiceCollection services, Action<RedisAdapterOptions>? configure, Action<TOptions>? configureVariant)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        where TShared : class
        where TFactory : class, ISocketIOAdapterFactory
    {
        services.AddSocketIORedis(configure);
        var options = services.AddOptions<TOptions>().ValidateOnStart();
        if (configureVariant is not null)
        {
            options.Configure(configureVariant);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton<TShared>();
        services.Replace(ServiceDescriptor.Singleton<ISocketIOAdapterFactory, TFactory>());
        return services;
    }
}
