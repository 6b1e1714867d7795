namespace PushServer.SocketIO.Redis;

/// <summary>Every log event id of the Redis adapter, in one table so ids stay stable and unique.</summary>
internal static class RedisEventIds
{
    public const int Unreachable = 4001;
    public const int ConnectionLost = 4002;
    public const int ConnectionRestored = 4003;
    public const int Connected = 4004;
    public const int MalformedMessage = 4010;
    public const int PublishFailed = 4011;
    public const int RequestFailed = 4012;
    public const int ClusterQueryIncomplete = 4013;
    public const int SubscribeFailed = 4014;
    public const int StreamReadFailed = 4020;
    public const int StreamReadResumed = 4021;
    public const int StreamAppendFailed = 4022;
    public const int StreamEntryFailed = 4023;
    public const int SessionPersistFailed = 4024;
    public const int SessionRestoreFailed = 4025;
    public const int StreamNodeGone = 4026;
    public const int NodeDirectoryFailed = 4030;
    public const int ShardedPublishFailed = 4070;
    public const int ShardedSubscribeFailed = 4071;
    public const int ShardedMalformedMessage = 4072;
    public const int ShardedMessageFailed = 4073;
    public const int ShardedResubscribeForced = 4074;
    public const int ShardedResubscribeFailed = 4075;
}
