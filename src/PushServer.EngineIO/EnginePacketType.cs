namespace PushServer.EngineIO;

/// <summary>Engine.IO packet types, the same in v3 and v4.</summary>
public enum EnginePacketType
{
    /// <summary>Server to client handshake.</summary>
    Open = 0,
    /// <summary>Request to close the transport.</summary>
    Close = 1,
    /// <summary>Heartbeat (v3: client to server; v4: server to client), and <c>2probe</c> during upgrade.</summary>
    Ping = 2,
    /// <summary>Heartbeat answer, and <c>3probe</c> during upgrade.</summary>
    Pong = 3,
    /// <summary>Application data.</summary>
    Message = 4,
    /// <summary>Client to server: completes the upgrade to WebSocket.</summary>
    Upgrade = 5,
    /// <summary>Server to client: releases a pending poll during an upgrade.</summary>
    Noop = 6,
}
