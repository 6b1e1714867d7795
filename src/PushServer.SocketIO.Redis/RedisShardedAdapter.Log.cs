using Microsoft.Extensions.Logging;

namespace PushServer.SocketIO.Redis;

public sealed partial class RedisShardedAdapter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = RedisEventIds.ShardedPublishFailed, Level = LogLevel.Debug,
            Message = "Could not publish on the sharded channel {Channel}; delivered on this node only")]
        public static partial void PublishFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.ShardedSubscribeFailed, Level = LogLevel.Warning,
            Message = "Could not subscribe to the sharded channel {Channel}; trying again when the connection is back")]
        public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.ShardedMalformedMessage, Level = LogLevel.Debug,
            Message = "Ignored a message on {Channel} that is not a cluster message")]
        public static partial void MalformedMessage(ILogger logger, string channel, Exception? exception = null);

        [LoggerMessage(EventId = RedisEventIds.ShardedMessageFailed, Level = LogLevel.Warning,
            Message = "Handling a message on the sharded channel {Channel} failed; the next ones are handled as usual")]
        public static partial void MessageFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(EventId = RedisEventIds.ShardedResubscribeForced, Level = LogLevel.Warning,
            Message = "Namespace {Namespace}: {Count} sharded channel(s) ({Channels}) not listened to for {DeafFor} although Redis is reachable; re-reading the cluster topology and subscribing again (attempt {Attempt})")]
        public static partial void ResubscribeForced(ILogger logger, string @namespace, int count, string channels, TimeSpan deafFor, int attempt);

        [LoggerMessage(EventId = RedisEventIds.ShardedResubscribeFailed, Level = LogLevel.Warning,
            Message = "Namespace {Namespace}: re-reading the cluster topology to subscribe again failed; trying again later")]
        public static partial void ResubscribeFailed(ILogger logger, string @namespace, Exception exception);
    }
}
