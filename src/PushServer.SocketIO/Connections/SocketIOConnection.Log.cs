using Microsoft.Extensions.Logging;
using PushServer.SocketIO.Protocol;

namespace PushServer.SocketIO;

internal sealed partial class SocketIOConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = SocketIOEventIds.ParseError, Level = LogLevel.Information,
            Message = "Connection {SessionId} sent a malformed packet ({Error}); closing it")]
        public static partial void ParseError(ILogger logger, string sessionId, string error);

        [LoggerMessage(EventId = SocketIOEventIds.ProtocolViolation, Level = LogLevel.Information,
            Message = "Connection {SessionId} sent {PacketType} for namespace {Namespace} in a state that does not allow it; closing it")]
        public static partial void ProtocolViolation(ILogger logger, string sessionId, SocketIOPacketType packetType, string @namespace);

        [LoggerMessage(EventId = SocketIOEventIds.InvalidNamespace, Level = LogLevel.Debug,
            Message = "Connection {SessionId} asked for unknown namespace {Namespace}")]
        public static partial void InvalidNamespace(ILogger logger, string sessionId, string @namespace);

        [LoggerMessage(EventId = SocketIOEventIds.ConnectTimeout, Level = LogLevel.Debug,
            Message = "Connection {SessionId} joined no namespace in time; closing it")]
        public static partial void ConnectTimeout(ILogger logger, string sessionId);
    }
}
