namespace PushServer.SocketIO.Redis;

/// <summary>
/// Which sharded channels a namespace's adapter subscribes to: the values of @socket.io/redis-adapter's
/// <c>subscriptionMode</c>. Every node of a cluster must use the same one: a node in another mode misses broadcasts
/// to single rooms.
/// </summary>
public enum ShardedSubscriptionMode
{
    /// <summary>Two channels per namespace (<c>prefix#nsp#</c> and the node's <c>prefix#nsp#uid#</c>); every node gets every broadcast.</summary>
    Static,

    /// <summary>
    /// Also one channel per public room (<c>prefix#nsp#room#</c>) that has a member on the node: a broadcast to exactly
    /// one room that is not a socket id, without acknowledgements, goes there, so only the nodes with members get it.
    /// The Node adapter's default.
    /// </summary>
    Dynamic,

    /// <summary>Like <see cref="Dynamic"/>, for private rooms (socket ids) as well.</summary>
    DynamicPrivate,
}

/// <summary>
/// Settings of the sharded pub/sub adapter. Defaults are those of Node's @socket.io/redis-adapter 8.x
/// <c>createShardedAdapter</c>; where Redis is, the channel prefix (<see cref="RedisAdapterOptions.KeyPrefix"/>, the Node
/// adapter's <c>channelPrefix</c>) and the request timeout come from <see cref="RedisAdapterOptions"/>.
/// </summary>
public sealed class RedisShardedAdapterOptions
{
    /// <summary>The channels each namespace subscribes to; <see cref="ShardedSubscriptionMode.Dynamic"/> as in the Node adapter.</summary>
    public ShardedSubscriptionMode SubscriptionMode { get; set; } = ShardedSubscriptionMode.Dynamic;

    /// <summary>
    /// How long one of a namespace's channels may stay unsubscribed while Redis is reachable before the adapter makes
    /// the Redis client re-read the cluster's topology and subscribes it again: 3 s. After a master's failover the client
    /// may keep the channel on the dead master until it notices the promotion, which can take a minute; the adapter
    /// tries again at doubling intervals (at most 30 s apart) until the channel is listened to. Not in the Node adapter.
    /// </summary>
    public TimeSpan ResubscribeAfter { get; set; } = TimeSpan.FromSeconds(3);
}
