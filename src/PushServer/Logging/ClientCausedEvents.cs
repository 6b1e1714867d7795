namespace PushServer.Logging;

/// <summary>
/// The log events a client can cause as often as it likes, by event id: refusals, protocol violations, limits and
/// slow or silent clients, and webhook failures (one per client event while the backend is down). The
/// <see cref="ClientEventLimiter"/> limits these per id. Connection lifecycle (opened, upgraded, closed) is not in
/// the list: it is Debug detail someone asked for. Ids come from each layer's table (Engine.IO 1000–1099 in
/// <c>EngineLog</c>, Socket.IO 3000s in <c>SocketIOEventIds</c>, the executable's 4000s in
/// <see cref="PushServerEventIds"/>, the Redis adapter's 5000s in <c>RedisEventIds</c>, none of them client-caused).
/// </summary>
internal static class ClientCausedEvents
{
    /// <summary>The ids.</summary>
    public static readonly IReadOnlyList<int> Ids =
    [
        1004, // Engine.IO PingTimeout: a client that stopped answering
        1005, // Engine.IO OutboundQueueFull: a client too slow to read
        1006, // Engine.IO ProtocolViolation
        1007, // Engine.IO RequestRefused: bad handshakes, unknown sids, refused origins
        1009, // Engine.IO TransportEnded: a client that went away mid-request
        1011, // Engine.IO RateLimited: too many packets a second
        1012, // Engine.IO WriteTimedOut: a client too slow to read
        1013, // Engine.IO LimitRefused: MaxSessions, MaxWebSocketConnections, MaxHandshakesPerSecondPerIp
        1014, // Engine.IO PendingBytesExceeded
        1015, // Engine.IO AcceptFailed: a flood of connections can exhaust file descriptors
        3001, // Socket.IO ParseError
        3002, // Socket.IO ProtocolViolation
        3003, // Socket.IO InvalidNamespace
        3004, // Socket.IO ConnectionRefused: middleware (authentication) said no
        3005, // Socket.IO ConnectTimeout
        3012, // Socket.IO PacketMiddlewareFailed
        3023, // Socket.IO TooManyRooms
        PushServerEventIds.PushRefused,
        PushServerEventIds.HandshakeRefusedWhileDraining,
        PushServerEventIds.WebhookFailed,
        PushServerEventIds.LifecycleWebhookQueueFull,
        PushServerEventIds.LifecycleWebhookGivenUp,
    ];
}
