using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PushServer.SocketIO.Redis;

/// <summary>
/// What the sharded pub/sub adapters of every namespace of this node share: the connection, the settings, and the
/// readiness of the whole: the node hears the others only while every namespace's channels are subscribed on shards
/// that are up.
/// </summary>
public sealed class RedisShardedCluster
{
    private readonly ConcurrentDictionary<RedisShardedAdapter, byte> _adapters = new();

    /// <summary>Creates the shared part; normally done by DI.</summary>
    public RedisShardedCluster(RedisAdapterConnection connection, IOptions<RedisShardedAdapterOptions> options)
    {
        Connection = connection;
        Options = options.Value;
    }

    /// <summary>The sharded settings, read once.</summary>
    public RedisShardedAdapterOptions Options { get; }

    /// <summary>The node's connection to Redis.</summary>
    public RedisAdapterConnection Connection { get; }

    /// <summary>
    /// True while Redis is reachable and every namespace's adapter listens on its broadcast and response channels. False
    /// while the shard of one of them is away (a master failing over), until the channel is subscribed on its new owner.
    /// </summary>
    public bool IsReady => Connection.IsConnected && _adapters.Keys.All(a => a.IsConnected);

    /// <summary>The namespaces whose channels are not listened to now, for the health check's message.</summary>
    public IEnumerable<string> DeafNamespaces => _adapters.Keys.Where(a => !a.IsConnected).Select(a => a.Namespace.Name);

    internal void Register(RedisShardedAdapter adapter) => _adapters[adapter] = 0;

    internal void Unregister(RedisShardedAdapter adapter) => _adapters.TryRemove(adapter, out _);
}
