using System.Text.Json;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests.Sharded;

/// <summary>The kind of the second node of a sharded cluster test.</summary>
public enum PeerKind
{
    /// <summary>Another PushServer node on the sharded adapter.</summary>
    PushServer,

    /// <summary>A Node socket.io 4.8 node on @socket.io/redis-adapter's createShardedAdapter (tests/node/redis-node.js).</summary>
    Node,
}

/// <summary>
/// The other node of a sharded cluster test, whichever its kind, driven through the same cluster operations: what
/// the test's PushServer node must see of it, and what it must see of the PushServer node.
/// </summary>
internal abstract class ShardedPeer : IAsyncDisposable
{
    public abstract string Url { get; }

    public abstract Task EmitAsync(string[] rooms, string name, params object[] args);

    /// <summary>Emits to every client of the cluster and returns their acknowledgements (first argument of each).</summary>
    public abstract Task<IReadOnlyList<string>> EmitWithAckAsync(string name, string arg);

    public abstract Task<IReadOnlyList<string>> FetchSocketIdsAsync(params string[] rooms);

    public abstract Task SocketsJoinAsync(string[] rooms, string room);

    public abstract Task SocketsLeaveAsync(string[] rooms, string room);

    public abstract Task DisconnectSocketsAsync(string[] rooms);

    public abstract Task<int> ServerCountAsync();

    public abstract ValueTask DisposeAsync();

    public static async Task<ShardedPeer> StartAsync(PeerKind kind, string redisUrl, ShardedSubscriptionMode mode) => kind switch
    {
        PeerKind.PushServer => new PushServerPeer(await PushServerNode.StartAsync(redisUrl, TimeSpan.FromSeconds(3), sharded: mode)),
        _ => await NodePeer.StartAsync(redisUrl, mode),
    };

    private sealed class PushServerPeer(PushServerNode node) : ShardedPeer
    {
        public override string Url => node.Url;

        private BroadcastOperator Select(string[] rooms) => node.Io.Sockets.To(rooms);

        public override Task EmitAsync(string[] rooms, string name, params object[] args) => Select(rooms).EmitAsync(name, args).AsTask();

        public override async Task<IReadOnlyList<string>> EmitWithAckAsync(string name, string arg) =>
            [.. (await node.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync(name, [arg])).Select(a => a.GetString(0)!)];

        public override async Task<IReadOnlyList<string>> FetchSocketIdsAsync(params string[] rooms)
        {
            var fetched = await Select(rooms).FetchSocketsFromClusterAsync();
            Assert.True(fetched.IsComplete);
            return [.. fetched.Value.Select(s => s.Id)];
        }

        public override Task SocketsJoinAsync(string[] rooms, string room)
        {
            Select(rooms).SocketsJoin(room);
            return Task.CompletedTask;
        }

        public override Task SocketsLeaveAsync(string[] rooms, string room)
        {
            Select(rooms).SocketsLeave(room);
            return Task.CompletedTask;
        }

        public override Task DisconnectSocketsAsync(string[] rooms)
        {
            Select(rooms).DisconnectSockets();
            return Task.CompletedTask;
        }

        public override Task<int> ServerCountAsync() => node.Io.Sockets.Adapter.ServerCountAsync(CancellationToken.None);

        public override ValueTask DisposeAsync() => node.DisposeAsync();
    }

    private sealed class NodePeer(NodeClient driver, string url) : ShardedPeer
    {
        public static async Task<NodePeer> StartAsync(string redisUrl, ShardedSubscriptionMode mode)
        {
            var subscriptionMode = mode switch
            {
                ShardedSubscriptionMode.Static => "static",
                ShardedSubscriptionMode.Dynamic => "dynamic",
                _ => "dynamic-private",
            };
            var driver = await NodeClient.StartAsync("redis-node.js", new { redisUrl, sharded = subscriptionMode });
            var ready = driver.Events.First(e => e.GetProperty("event").GetString() == "ready");
            return new NodePeer(driver, $"http://127.0.0.1:{ready.GetProperty("port").GetInt32()}");
        }

        public override string Url => url;

        public override Task EmitAsync(string[] rooms, string name, params object[] args) => driver.RunAsync("emit", new { rooms, name, args });

        public override async Task<IReadOnlyList<string>> EmitWithAckAsync(string name, string arg)
        {
            var answers = await driver.RunAsync("emitWithAck", new { name, args = new[] { arg }, timeoutMs = 5000 });
            Assert.True(answers.ValueKind == JsonValueKind.Array, answers.ToString());
            return [.. answers.EnumerateArray().Select(a => a.GetString()!)];
        }

        public override async Task<IReadOnlyList<string>> FetchSocketIdsAsync(params string[] rooms) =>
            [.. (await driver.RunAsync("fetchSockets", new { rooms })).EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

        public override Task SocketsJoinAsync(string[] rooms, string room) => driver.RunAsync("socketsJoin", new { rooms, room });

        public override Task SocketsLeaveAsync(string[] rooms, string room) => driver.RunAsync("socketsLeave", new { rooms, room });

        public override Task DisconnectSocketsAsync(string[] rooms) => driver.RunAsync("disconnectSockets", new { rooms });

        public override async Task<int> ServerCountAsync() => (await driver.RunAsync("serverCount")).GetInt32();

        public override ValueTask DisposeAsync() => driver.DisposeAsync();
    }
}
