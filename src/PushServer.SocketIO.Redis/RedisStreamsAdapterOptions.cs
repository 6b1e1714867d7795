namespace PushServer.SocketIO.Redis;

/// <summary>
/// Settings of the Redis Streams adapter. Defaults are those of Node's @socket.io/redis-streams-adapter 0.2.x; where
/// Redis is and the cluster request timeout come from <see cref="RedisAdapterOptions"/>.
/// </summary>
public sealed class RedisStreamsAdapterOptions
{
    /// <summary>The Node adapter's <c>streamName</c>.</summary>
    public const string DefaultStreamName = "socket.io";

    /// <summary>
    /// The Node adapter's <c>maxLen</c>: the stream keeps about this many entries (trimmed with <c>MAXLEN ~</c>). It is
    /// also what bounds recovery: a client whose offset was trimmed away reconnects as a new socket.
    /// </summary>
    public const int DefaultMaxLength = 10_000;

    /// <summary>The Node adapter's <c>readCount</c>: entries fetched per XREAD.</summary>
    public const int DefaultReadCount = 100;

    /// <summary>The Node adapter's <c>sessionKeyPrefix</c>.</summary>
    public const string DefaultSessionKeyPrefix = "sio:session:";

    /// <summary>socket.io-adapter's <c>heartbeatInterval</c>: how often a node says it is alive.</summary>
    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>socket.io-adapter's <c>heartbeatTimeout</c>: a node silent this long is no longer counted.</summary>
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one XREAD waits for new entries on the reader's own connection before asking again: 1 s keeps the
    /// command well inside StackExchange.Redis's timeouts while an idle node costs one round trip a second.
    /// </summary>
    public static readonly TimeSpan DefaultBlockTime = TimeSpan.FromSeconds(1);

    /// <summary>The stream every node of the cluster writes to and reads from.</summary>
    public string StreamName { get; set; } = DefaultStreamName;

    /// <summary>Approximate length the stream is trimmed to on each write.</summary>
    public int MaxLength { get; set; } = DefaultMaxLength;

    /// <summary>Entries fetched per read.</summary>
    public int ReadCount { get; set; } = DefaultReadCount;

    /// <summary>Prefix of the keys holding disconnected sessions for connection state recovery.</summary>
    public string SessionKeyPrefix { get; set; } = DefaultSessionKeyPrefix;

    /// <summary>Period of the heartbeat by which nodes count each other.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>Silence after which a node is considered gone.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = DefaultHeartbeatTimeout;

    /// <summary>Longest wait of one blocking read.</summary>
    public TimeSpan BlockTime { get; set; } = DefaultBlockTime;
}
