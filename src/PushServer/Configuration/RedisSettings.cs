namespace PushServer.Configuration;

/// <summary>Redis adapter (section <c>Redis</c>): cluster mode when <see cref="Url"/> is set.</summary>
internal sealed class RedisSettings
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Redis";

    /// <summary>
    /// A <c>redis://</c> or <c>rediss://</c> URL; empty runs single-node. For a Redis Cluster, a comma-separated list of
    /// seed node URLs (any one reachable node suffices; the others are discovered), credentials and TLS from the first.
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// <c>pubsub</c> (default): Redis pub/sub, compatible with Node's @socket.io/redis-adapter 8.x and the emitters;
    /// nothing is stored, so connection state recovery works only on the node a client was on. <c>streams</c>: one Redis
    /// stream, compatible with Node's @socket.io/redis-streams-adapter 0.2.x; events and disconnected sessions are kept
    /// in Redis, so a client recovers on any node, also after its node restarted. <c>sharded</c>: Redis 7 sharded pub/sub
    /// (SPUBLISH/SSUBSCRIBE), compatible with @socket.io/redis-adapter 8.x's <c>createShardedAdapter</c>; on a Redis
    /// Cluster each channel lives on one shard instead of every node.
    /// </summary>
    public string Adapter { get; set; } = PubSubAdapter;

    /// <summary>
    /// The <c>sharded</c> adapter's channels (the Node adapter's <c>subscriptionMode</c>, which every node must share):
    /// <c>static</c> (one broadcast channel per namespace), <c>dynamic</c> (the default: also one per public room, so a
    /// broadcast to one room reaches only the nodes with members) or <c>dynamic-private</c> (also one per socket).
    /// </summary>
    public string ShardedSubscriptionMode { get; set; } = DynamicSubscription;

    /// <summary>The stream of the <c>streams</c> adapter (the Node adapter's <c>streamName</c>).</summary>
    public string StreamName { get; set; } = SocketIO.Redis.RedisStreamsAdapterOptions.DefaultStreamName;

    /// <summary>
    /// Approximate length the stream is trimmed to (the Node adapter's <c>maxLen</c>, 10000). It bounds recovery too: a
    /// client whose last event was trimmed away reconnects as a new socket, so size it to the events of a recovery window.
    /// </summary>
    public int StreamMaxLength { get; set; } = SocketIO.Redis.RedisStreamsAdapterOptions.DefaultMaxLength;

    /// <summary>
    /// Milliseconds a cluster query (socket listings, stats, <c>offline</c> checks without a shorter bound of their own)
    /// waits for the other nodes' answers; a node silent that long is left out of the answer. The Node adapters'
    /// <c>requestsTimeout</c>, 5000 there too.
    /// </summary>
    public int RequestsTimeout { get; set; } = 5000;

    /// <summary>The value of <see cref="Adapter"/> for pub/sub.</summary>
    public const string PubSubAdapter = "pubsub";

    /// <summary>The value of <see cref="Adapter"/> for Redis Streams.</summary>
    public const string StreamsAdapter = "streams";

    /// <summary>The value of <see cref="Adapter"/> for sharded pub/sub.</summary>
    public const string ShardedAdapter = "sharded";

    /// <summary>The default of <see cref="ShardedSubscriptionMode"/>, as in the Node adapter.</summary>
    public const string DynamicSubscription = "dynamic";

    /// <summary>The subscription mode named by <see cref="ShardedSubscriptionMode"/>, or null when it names none.</summary>
    public SocketIO.Redis.ShardedSubscriptionMode? ParseSubscriptionMode() => ShardedSubscriptionMode switch
    {
        "static" => SocketIO.Redis.ShardedSubscriptionMode.Static,
        DynamicSubscription => SocketIO.Redis.ShardedSubscriptionMode.Dynamic,
        "dynamic-private" => SocketIO.Redis.ShardedSubscriptionMode.DynamicPrivate,
        _ => null,
    };
}
