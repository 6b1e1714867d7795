using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// Readiness of the Redis adapter: healthy while the node is connected to Redis (and, with the Streams adapter,
/// reads the stream; with the sharded adapter, listens on every namespace's channels), unhealthy (with the reason) while it only serves its own clients. Registered with the tag
/// <see cref="Tag"/>, for a host's <c>/health/ready</c>.
/// </summary>
public sealed class RedisAdapterHealthCheck : IHealthCheck
{
    /// <summary>The name and tag this check is registered under.</summary>
    public const string Tag = "ready";

    /// <summary>The check's name.</summary>
    public const string Name = "socketio-redis";

    private readonly RedisAdapterConnection _connection;
    private readonly RedisStreamsCluster? _streams;
    private readonly RedisShardedCluster? _sharded;

    /// <summary>
    /// Creates the check; normally done by DI. <paramref name="streams"/> is there with the Streams adapter,
    /// <paramref name="sharded"/> with the sharded pub/sub adapter.
    /// </summary>
    public RedisAdapterHealthCheck(RedisAdapterConnection connection, RedisStreamsCluster? streams = null, RedisShardedCluster? sharded = null)
    {
        _connection = connection;
        _streams = streams;
        _sharded = sharded;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            !_connection.IsConnected ? HealthCheckResult.Unhealthy("Redis is unreachable: this node serves its own clients only.")
            : _streams is { IsReading: false } ? HealthCheckResult.Unhealthy(
                $"The Redis stream {_streams.Options.StreamName} cannot be read: this node does not hear the others. Retrying.")
            : _sharded is { IsReady: false } ? HealthCheckResult.Unhealthy(
                $"The sharded channels of namespace(s) {string.Join(", ", _sharded.DeafNamespaces)} are not listened to (their shard is away): this node does not hear the others. Retrying.")
            : HealthCheckResult.Healthy("Connected to Redis."));
}
