namespace PushServer.EngineIO;

/// <summary>The Engine.IO protocol revision a session speaks, chosen per connection by the <c>EIO</c> query parameter.</summary>
public enum EngineProtocolVersion
{
    /// <summary>Engine.IO v3, spoken by socket.io 1.x and 2.x clients: client-initiated heartbeat, length-prefixed polling payloads.</summary>
    V3 = 3,

    /// <summary>Engine.IO v4, spoken by socket.io 3.x and 4.x clients: server-initiated heartbeat, record-separated polling payloads.</summary>
    V4 = 4,
}
