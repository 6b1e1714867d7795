using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis;

/// <summary>Creates a <see cref="RedisStreamsAdapter"/> per namespace, all sharing the node's <see cref="RedisStreamsCluster"/>.</summary>
public sealed class RedisStreamsAdapterFactory : ISocketIOAdapterFactory
{
    private readonly RedisStreamsCluster _cluster;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the factory; normally done by DI.</summary>
    public RedisStreamsAdapterFactory(RedisStreamsCluster cluster, ILoggerFactory loggerFactory)
    {
        _cluster = cluster;
        _loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) =>
        new RedisStreamsAdapter(nsp, _cluster, _loggerFactory.CreateLogger<RedisStreamsAdapter>());
}
