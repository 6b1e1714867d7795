using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisStreamsAdapter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.StreamAppendFailed, Level = LogLevel.Debug,
            Message = "Could not write to the stream for namespace {Namespace}; delivered on this node only")]
        public static partial void AppendFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.SessionPersistFailed, Level = LogLevel.Warning,
            Message = "Could not store a disconnected session of namespace {Namespace}; it cannot be recovered")]
        public static partial void PersistFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.SessionRestoreFailed, Level = LogLevel.Information,
            Message = "A session of namespace {Namespace} was not restored: the stream grew faster than it could be read")]
        public static partial void RestoreOutpaced(ILogger logger, string @namespace);

        [LoggerMessage(EventId = RedisEventIds.StreamNodeGone, Level = LogLevel.Debug,
            Message = "Node {Uid} left the cluster of namespace {Namespace}")]
        public static partial void NodeGone(ILogger logger, string uid, string @namespace);
    }
}
