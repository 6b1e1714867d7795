using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// Readiness of the Redis adapter: healthy while the node is connected to Redis, unhealthy (with the reason) while
/// it only serves its own clients. Registered with the tag <see cref="Tag"/>, for a host's <c>/health/ready</c>.
/// </summary>
public sealed class RedisAdapterHealthCheck : IHealthCheck
{
    /// <summary>The name and tag this check is registered under.</summary>
    public const string Tag = "ready";

    /// <summary>The check's name.</summary>
    public const string Name = "socketio-redis";

    private readonly RedisAdapterConnection _connection;

    /// <summary>Creates the check; normally done by DI.</summary>
    public RedisAdapterHealthCheck(RedisAdapterConnection connection) => _connection = connection;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_connection.IsConnected
            ? HealthCheckResult.Healthy("Connected to Redis.")
            : HealthCheckResult.Unhealthy("Redis is unreachable: this node serves its own clients only."));
}
