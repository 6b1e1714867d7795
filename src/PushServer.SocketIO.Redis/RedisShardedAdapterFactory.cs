using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis;

/// <summary>Creates a <see cref="RedisShardedAdapter"/> per namespace, all sharing the node's <see cref="RedisShardedCluster"/>; made by DI.</summary>
/// <param name="cluster">The node's connection and sharded settings.</param>
/// <param name="loggerFactory">Makes each adapter's logger.</param>
public sealed class RedisShardedAdapterFactory(RedisShardedCluster cluster, ILoggerFactory loggerFactory) : ISocketIOAdapterFactory
{
    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) => new RedisShardedAdapter(nsp, cluster, loggerFactory.CreateLogger<RedisShardedAdapter>());
}
