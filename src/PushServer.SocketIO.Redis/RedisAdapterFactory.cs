using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis;

/// <summary>Creates a <see cref="RedisAdapter"/> per namespace, all sharing the node's <see cref="RedisAdapterConnection"/>; made by DI.</summary>
/// <param name="connection">The node's Redis connection.</param>
/// <param name="loggerFactory">Makes each adapter's logger.</param>
public sealed class RedisAdapterFactory(RedisAdapterConnection connection, ILoggerFactory loggerFactory) : ISocketIOAdapterFactory
{
    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) => new RedisAdapter(nsp, connection, loggerFactory.CreateLogger<RedisAdapter>());
}
