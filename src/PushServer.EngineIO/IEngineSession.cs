namespace PushServer.EngineIO;

/// <summary>
/// One Engine.IO connection, whichever transport currently carries it. Upper layers send through it
/// and learn about it through <see cref="IEngineConnectionHandler"/>.
/// </summary>
public interface IEngineSession
{
    /// <summary>The session id sent in the open packet (20 URL-safe base64 characters).</summary>
    string Id { get; }

    /// <summary>The Engine.IO revision this session speaks.</summary>
    EngineProtocolVersion Protocol { get; }

    /// <summary>The current transport: <c>polling</c> or <c>websocket</c>.</summary>
    string TransportName { get; }

    /// <summary>The request that opened the session.</summary>
    EngineHandshake Handshake { get; }

    /// <summary>False once the session has closed or started closing; sends are then dropped.</summary>
    bool IsOpen { get; }

    /// <summary>A slot for the upper layer's per-connection state, so it needs no lookup per message.</summary>
    object? State { get; set; }

    /// <summary>
    /// Queues a message packet for the client without waiting. Returns false when the session is closed,
    /// or when the packets still queued ahead of this one already reach the byte cap
    /// (<see cref="EngineIOOptions.MaxOutboundQueueBytes"/>), in which case the session closes with
    /// <see cref="EngineCloseReason.OutboundQueueFull"/>. A packet's own size never refuses it. The same
    /// <paramref name="packet"/> instance may be sent to any number of sessions: it is encoded once per wire form and
    /// never modified.
    /// </summary>
    bool Send(EnginePacket packet);

    /// <summary>
    /// Queues a packet only if the transport can write it right away (an open WebSocket, or a waiting poll),
    /// as socket.io's <c>volatile</c> flag does. Returns false when the packet was dropped.
    /// </summary>
    bool SendVolatile(EnginePacket packet);

    /// <summary>Closes the session: packets already queued are flushed first, then the transport is closed.</summary>
    void Close(EngineCloseReason reason = EngineCloseReason.ForcedClose);
}
