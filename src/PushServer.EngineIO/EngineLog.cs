using Microsoft.Extensions.Logging;

namespace PushServer.EngineIO;

/// <summary>
/// Engine.IO log events, their ids in <see cref="EngineEventIds"/>. A client's mistake logs at Information or below;
/// Error is kept for faults of our own. A refused origin is the exception, at Warning once per origin: it is
/// usually the operator's page, refused for want of a setting.
/// </summary>
internal static partial class EngineLog
{
    [LoggerMessage(EngineEventIds.SessionOpened, LogLevel.Debug, "Engine.IO session {Sid} opened (EIO={Protocol}, {Transport}).")]
    public static partial void SessionOpened(ILogger logger, string sid, int protocol, string transport);

    [LoggerMessage(EngineEventIds.SessionClosing, LogLevel.Debug, "Engine.IO session {Sid} closing: {Reason}.")]
    public static partial void SessionClosing(ILogger logger, string sid, string reason);

    [LoggerMessage(EngineEventIds.SessionClosed, LogLevel.Debug, "Engine.IO session {Sid} closed: {Reason}.")]
    public static partial void SessionClosed(ILogger logger, string sid, string reason);

    [LoggerMessage(EngineEventIds.Upgraded, LogLevel.Debug, "Engine.IO session {Sid} upgraded to websocket.")]
    public static partial void Upgraded(ILogger logger, string sid);

    [LoggerMessage(EngineEventIds.PingTimeout, LogLevel.Debug, "Engine.IO session {Sid}: no heartbeat in time.")]
    public static partial void PingTimeout(ILogger logger, string sid);

    [LoggerMessage(EngineEventIds.OutboundQueueFull, LogLevel.Information, "Engine.IO session {Sid} closed: its outbound queue passed {Cap} bytes (client too slow).")]
    public static partial void OutboundQueueFull(ILogger logger, string sid, long cap);

    [LoggerMessage(EngineEventIds.ProtocolViolation, LogLevel.Debug, "Engine.IO session {Sid}: protocol violation: {Detail}.")]
    public static partial void ProtocolViolation(ILogger logger, string sid, string detail);

    [LoggerMessage(EngineEventIds.RequestRefused, LogLevel.Debug, "Engine.IO request refused: {Code} {Message} ({Method} {Path}).")]
    public static partial void RequestRefused(ILogger logger, int code, string message, string method, string path);

    [LoggerMessage(EngineEventIds.HandlerFailed, LogLevel.Error, "Engine.IO session {Sid}: the connection handler threw in {Callback}.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string sid, string callback);

    [LoggerMessage(EngineEventIds.WriterStartFailed, LogLevel.Error, "Engine.IO session {Sid}: starting the writer of a broadcast failed.")]
    public static partial void WriterStartFailed(ILogger logger, Exception exception, string sid);

    [LoggerMessage(EngineEventIds.TransportEnded, LogLevel.Debug, "Engine.IO session {Sid}: transport ended: {Detail}.")]
    public static partial void TransportEnded(ILogger logger, string sid, string detail);

    [LoggerMessage(EngineEventIds.RateLimited, LogLevel.Information, "Engine.IO session {Sid} closed: it sent more than {Rate} packets a second.")]
    public static partial void RateLimited(ILogger logger, string sid, int rate);

    [LoggerMessage(EngineEventIds.WriteTimedOut, LogLevel.Information, "Engine.IO session {Sid} closed: a WebSocket write took longer than {Timeout} (client too slow).")]
    public static partial void WriteTimedOut(ILogger logger, string sid, TimeSpan timeout);

    [LoggerMessage(EngineEventIds.LimitRefused, LogLevel.Information, "Engine.IO request refused by limit {Limit} ({Method} {Path} from {Address}).")]
    public static partial void LimitRefused(ILogger logger, string limit, string method, string path, string address);

    [LoggerMessage(EngineEventIds.PendingBytesExceeded, LogLevel.Information, "Engine.IO session {Sid} closed: unfinished WebSocket messages of all clients passed {Cap} bytes.")]
    public static partial void PendingBytesExceeded(ILogger logger, string sid, long cap);

    [LoggerMessage(EngineEventIds.RequestFailed, LogLevel.Error, "Engine.IO: unexpected failure while serving {Method} {Path}.")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EngineEventIds.AcceptFailed, LogLevel.Warning,
        "Engine.IO listener on {EndPoint}: accepting a connection failed ({Error}), {Count} time(s) since the last such message; accepting goes on.")]
    public static partial void AcceptFailed(ILogger logger, string endPoint, string error, long count);

    [LoggerMessage(EngineEventIds.ConnectionsRefused, LogLevel.Information,
        "Engine.IO listener on {EndPoint}: {Count} connection(s) reset on accept since the last such message: {MaxConnections} connections were open (MaxConnections).")]
    public static partial void ConnectionsRefused(ILogger logger, string endPoint, long count, int maxConnections);

    [LoggerMessage(EngineEventIds.RequestHeadsTimedOut, LogLevel.Information,
        "Engine.IO: {Count} connection(s) closed since the last such message: no whole request head within {Timeout} of connecting (RequestHeadersTimeout).")]
    public static partial void RequestHeadsTimedOut(ILogger logger, long count, TimeSpan timeout);

    [LoggerMessage(EngineEventIds.OriginRefused, LogLevel.Warning,
        "Engine.IO refused a page from origin {Origin} (the request's host: {Host}): not an allowed origin; {Advice}. Further requests from this origin are logged at Debug only.")]
    public static partial void OriginRefused(ILogger logger, string origin, string host, string advice);

    [LoggerMessage(EngineEventIds.RefusedOriginsNoLongerLogged, LogLevel.Warning,
        "Engine.IO has logged {Count} distinct refused origins; further ones are logged at Debug only ({Advice}).")]
    public static partial void RefusedOriginsNoLongerLogged(ILogger logger, int count, string advice);
}
