using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis;

/// <summary>Creates a <see cref="RedisStreamsAdapter"/> per namespace, all sharing the node's <see cref="RedisStreamsCluster"/>; made by DI.</summary>
/// <param name="cluster">The node's stream reader and writer.</param>
/// <param name="loggerFactory">Makes each adapter's logger.</param>
public sealed class RedisStreamsAdapterFactory(RedisStreamsCluster cluster, ILoggerFactory loggerFactory) : ISocketIOAdapterFactory
{
    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) => new RedisStreamsAdapter(nsp, cluster, loggerFactory.CreateLogger<RedisStreamsAdapter>());
}
