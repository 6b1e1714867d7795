using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisAdapter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.MalformedMessage, Level = LogLevel.Debug,
            Message = "Ignored a malformed message on {Channel}")]
        public static partial void MalformedMessage(ILogger logger, string channel, Exception? exception);

        [LoggerMessage(EventId = RedisEventIds.PublishFailed, Level = LogLevel.Debug,
            Message = "Could not publish for namespace {Namespace}; delivered on this node only")]
        public static partial void PublishFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.SubscribeFailed, Level = LogLevel.Debug,
            Message = "Could not subscribe the channels of namespace {Namespace}; retrying when Redis is back")]
        public static partial void SubscribeFailed(ILogger logger, string @namespace, Exception exception);
    }
}
