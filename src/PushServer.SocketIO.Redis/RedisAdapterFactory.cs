using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Adapters;

namespace PushServer.SocketIO.Redis;

/// <summary>Creates a <see cref="RedisAdapter"/> per namespace, all sharing the node's <see cref="RedisAdapterConnection"/>.</summary>
public sealed class RedisAdapterFactory : ISocketIOAdapterFactory
{
    private readonly RedisAdapterConnection _connection;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the factory; normally done by DI.</summary>
    public RedisAdapterFactory(RedisAdapterConnection connection, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public SocketIOAdapter Create(SocketIONamespace nsp) =>
        new RedisAdapter(nsp, _connection, _loggerFactory.CreateLogger<RedisAdapter>());
}
