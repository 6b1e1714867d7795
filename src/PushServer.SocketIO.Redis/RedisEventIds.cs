namespace PushServer.SocketIO.Redis;

/// <summary>
/// Every log event id of the Redis adapter (5000–5099), in one table so ids stay stable and unique. The range is
/// its own: the executable's 4000s share a log with these, and its limiter of client-caused lines goes by id alone.
/// </summary>
internal static class RedisEventIds
{
    public const int Unreachable = 5001;
    public const int ConnectionLost = 5002;
    public const int ConnectionRestored = 5003;
    public const int Connected = 5004;
    public const int MalformedMessage = 5010;
    public const int PublishFailed = 5011;
    public const int RequestFailed = 5012;
    public const int ClusterQueryIncomplete = 5013;
    public const int SubscribeFailed = 5014;
    public const int StreamReadFailed = 5020;
    public const int StreamReadResumed = 5021;
    public const int StreamAppendFailed = 5022;
    public const int StreamEntryFailed = 5023;
    public const int SessionPersistFailed = 5024;
    public const int SessionRestoreFailed = 5025;
    public const int StreamNodeGone = 5026;
    public const int NodeDirectoryFailed = 5030;
    public const int ShardedPublishFailed = 5070;
    public const int ShardedSubscribeFailed = 5071;
    public const int ShardedMalformedMessage = 5072;
    public const int ShardedMessageFailed = 5073;
    public const int ShardedResubscribeForced = 5074;
    public const int ShardedResubscribeFailed = 5075;
}
