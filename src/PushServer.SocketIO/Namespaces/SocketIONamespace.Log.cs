using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO;

public sealed partial class SocketIONamespace
{
    private static partial class Log
    {
        [LoggerMessage(EventId = SocketIOEventIds.SessionRecovered, Level = LogLevel.Debug,
            Message = "Socket {SocketId} of namespace {Namespace} recovered its session")]
        public static partial void SessionRecovered(ILogger logger, string @namespace, string socketId);

        [LoggerMessage(EventId = SocketIOEventIds.RecoveryFailed, Level = LogLevel.Warning,
            Message = "Adapter of namespace {Namespace} failed to restore a session; connecting as a new socket")]
        public static partial void RecoveryFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = SocketIOEventIds.ConnectionRefused, Level = LogLevel.Debug,
            Message = "Connection to namespace {Namespace} refused by middleware: {Reason}")]
        public static partial void ConnectionRefused(ILogger logger, string @namespace, string reason);

        [LoggerMessage(EventId = SocketIOEventIds.HandlerFailed, Level = LogLevel.Error,
            Message = "Handler of {Event} in namespace {Namespace} threw")]
        public static partial void HandlerFailed(ILogger logger, string @namespace, string @event, Exception exception);

        [LoggerMessage(EventId = SocketIOEventIds.ConnectionHandlerFailed, Level = LogLevel.Error,
            Message = "Connection handler of namespace {Namespace} threw")]
        public static partial void ConnectionHandlerFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = SocketIOEventIds.AdapterInitFailed, Level = LogLevel.Error,
            Message = "Adapter of namespace {Namespace} failed to start")]
        public static partial void AdapterInitFailed(ILogger logger, string @namespace, Exception exception);
    }
}
