namespace PushServer.SocketIO.Redis.Streams;

/// <summary>
/// The message types of socket.io-adapter's cluster adapter, which @socket.io/redis-streams-adapter writes into the
/// stream's <c>type</c> field as a decimal string.
/// </summary>
internal enum ClusterMessageType
{
    InitialHeartbeat = 1,
    Heartbeat = 2,
    Broadcast = 3,
    SocketsJoin = 4,
    SocketsLeave = 5,
    DisconnectSockets = 6,
    FetchSockets = 7,
    FetchSocketsResponse = 8,
    ServerSideEmit = 9,
    ServerSideEmitResponse = 10,
    BroadcastClientCount = 11,
    BroadcastAck = 12,
    AdapterClose = 13,
}
