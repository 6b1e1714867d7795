namespace PushServer.SocketIO.Redis.Protocol;

/// <summary>The <c>type</c> of a request or response between nodes, as @socket.io/redis-adapter numbers them.</summary>
internal enum RedisRequestType
{
    Sockets = 0,
    AllRooms = 1,
    RemoteJoin = 2,
    RemoteLeave = 3,
    RemoteDisconnect = 4,
    RemoteFetch = 5,
    ServerSideEmit = 6,
    Broadcast = 7,
    BroadcastClientCount = 8,
    BroadcastAck = 9,
}
