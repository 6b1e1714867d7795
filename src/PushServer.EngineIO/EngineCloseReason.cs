namespace PushServer.EngineIO;

/// <summary>Why an Engine.IO session closed. Each value maps to the reason string socket.io reports.</summary>
public enum EngineCloseReason
{
    /// <summary>The client closed the connection or sent a close packet (<c>transport close</c>).</summary>
    TransportClose,

    /// <summary>The transport failed: a protocol violation, an aborted request, a reset connection (<c>transport error</c>).</summary>
    TransportError,

    /// <summary>The peer did not answer the heartbeat in time (<c>ping timeout</c>).</summary>
    PingTimeout,

    /// <summary>The client sent a packet that could not be decoded (<c>parse error</c>).</summary>
    ParseError,

    /// <summary>The server closed the session on purpose (<c>forced close</c>).</summary>
    ForcedClose,

    /// <summary>The host is stopping (<c>server shutting down</c>).</summary>
    ServerShuttingDown,

    /// <summary>The client did not read fast enough and its outbound queue passed the byte cap (<c>outbound queue full</c>).</summary>
    OutboundQueueFull,

    /// <summary>One WebSocket write took longer than <see cref="EngineIOOptions.WebSocketSendTimeout"/> (<c>write timeout</c>).</summary>
    WriteTimeout,

    /// <summary>The client sent packets faster than <see cref="EngineIOOptions.MaxInboundPacketsPerSecond"/> allows (<c>rate limit exceeded</c>).</summary>
    RateLimited,
}

/// <summary>Maps <see cref="EngineCloseReason"/> to socket.io's reason strings.</summary>
public static class EngineCloseReasonExtensions
{
    /// <summary>The reason string socket.io uses for <paramref name="reason"/>, e.g. <c>"ping timeout"</c>.</summary>
    public static string ToReasonString(this EngineCloseReason reason) => reason switch
    {
        EngineCloseReason.TransportClose => "transport close",
        EngineCloseReason.TransportError => "transport error",
        EngineCloseReason.PingTimeout => "ping timeout",
        EngineCloseReason.ParseError => "parse error",
        EngineCloseReason.ForcedClose => "forced close",
        EngineCloseReason.ServerShuttingDown => "server shutting down",
        EngineCloseReason.OutboundQueueFull => "outbound queue full",
        EngineCloseReason.WriteTimeout => "write timeout",
        EngineCloseReason.RateLimited => "rate limit exceeded",
        _ => "transport error",
    };
}
