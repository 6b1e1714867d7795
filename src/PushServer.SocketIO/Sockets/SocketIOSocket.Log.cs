using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO;

public sealed partial class SocketIOSocket
{
    private static partial class Log
    {
        [LoggerMessage(EventId = SocketIOEventIds.TooManyRooms, Level = LogLevel.Information,
            Message = "Socket {SocketId} is in {Max} rooms already (MaxRoomsPerSocket); not joining {Room}")]
        public static partial void TooManyRooms(ILogger logger, string socketId, int max, string room);

        [LoggerMessage(EventId = SocketIOEventIds.HandlerFailed, Level = LogLevel.Error,
            Message = "Handler of {Event} in namespace {Namespace} threw")]
        public static partial void HandlerFailed(ILogger logger, string @namespace, string @event, Exception exception);

        [LoggerMessage(EventId = SocketIOEventIds.PacketMiddlewareFailed, Level = LogLevel.Debug,
            Message = "Packet middleware of socket {SocketId} refused event {Event}")]
        public static partial void PacketMiddlewareFailed(ILogger logger, string socketId, string @event, Exception exception);

        [LoggerMessage(EventId = SocketIOEventIds.UnhandledSocketError, Level = LogLevel.Warning,
            Message = "Socket {SocketId} raised an error and has no error handler")]
        public static partial void UnhandledSocketError(ILogger logger, string socketId, Exception exception);
    }
}
