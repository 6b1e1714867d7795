using StackExchange.Redis;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// <c>PUBSUB NUMSUB</c> and <c>PUBSUB CHANNELS</c> over a single Redis or a Redis Cluster. In a cluster each node
/// answers only for the clients connected to it, and a node's subscriptions live on whichever node its connection
/// picked, so the answers of every node are combined, as @socket.io/redis-adapter does for a cluster client.
/// </summary>
internal static class RedisPubSubIntrospection
{
    /// <summary>How many clients subscribe to <paramref name="channel"/>, over every node.</summary>
    public static Task<int> CountSubscribersAsync(IConnectionMultiplexer redis, string channel) => CountAsync(redis, "NUMSUB", channel);

    /// <summary>How many clients subscribe to the sharded channel <paramref name="channel"/> (<c>PUBSUB SHARDNUMSUB</c>), over every node.</summary>
    public static Task<int> CountShardSubscribersAsync(IConnectionMultiplexer redis, string channel) => CountAsync(redis, "SHARDNUMSUB", channel);

    private static async Task<int> CountAsync(IConnectionMultiplexer redis, string subcommand, string channel)
    {
        var total = 0;
        foreach (var answer in await AskEveryNodeAsync(redis, subcommand, channel).ConfigureAwait(false))
        {
            var items = (RedisResult[])answer!;
            total += items.Length >= 2 ? (int)items[1] : 0;
        }
        return total;
    }

    /// <summary>The channels matching <paramref name="pattern"/> that someone subscribes to, over every node.</summary>
    public static async Task<IReadOnlySet<string>> ListChannelsAsync(IConnectionMultiplexer redis, string pattern)
    {
        var channels = new HashSet<string>(StringComparer.Ordinal);
        foreach (var answer in await AskEveryNodeAsync(redis, "CHANNELS", pattern).ConfigureAwait(false))
        {
            foreach (var item in (RedisResult[])answer!)
            {
                if ((string?)item is { } channel)
                {
                    channels.Add(channel);
                }
            }
        }
        return channels;
    }

    private static async Task<RedisResult[]> AskEveryNodeAsync(IConnectionMultiplexer redis, string subcommand, string argument)
    {
        var servers = redis.GetServers();
        if (!servers.Any(s => s.ServerType == ServerType.Cluster))
        {
            return [await redis.GetDatabase().ExecuteAsync("PUBSUB", subcommand, argument).ConfigureAwait(false)];
        }
        return await Task.WhenAll(servers.Where(s => s.IsConnected).Select(s => s.ExecuteAsync("PUBSUB", subcommand, argument))).ConfigureAwait(false);
    }
}
