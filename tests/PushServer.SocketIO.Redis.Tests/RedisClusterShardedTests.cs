using PushServer.SocketIO.Redis.Tests.Sharded;
using PushServer.Testing;
using StackExchange.Redis;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// The sharded pub/sub adapter on a real Redis Cluster (three masters, three replicas), beside another PushServer
/// node or a Node socket.io node on @socket.io/redis-adapter's createShardedAdapter, in each subscription mode:
/// broadcasts, rooms, acknowledgements and the cluster operations cross in both directions.
/// </summary>
public sealed class RedisClusterShardedTests(RedisClusterFixture fixture) : OwningTests, IClassFixture<RedisClusterFixture>
{
    private PushServerNode _ours = null!;
    private ShardedPeer _peer = null!;
    private ShardedSubscriptionMode _mode;

    /// <summary>Each subscription mode with each kind of peer.</summary>
    public static TheoryData<ShardedSubscriptionMode, PeerKind> Clusters => new()
    {
        { ShardedSubscriptionMode.Static, PeerKind.PushServer },
        { ShardedSubscriptionMode.Static, PeerKind.Node },
        { ShardedSubscriptionMode.Dynamic, PeerKind.PushServer },
        { ShardedSubscriptionMode.Dynamic, PeerKind.Node },
        { ShardedSubscriptionMode.DynamicPrivate, PeerKind.PushServer },
        { ShardedSubscriptionMode.DynamicPrivate, PeerKind.Node },
    };

    /// <summary>Starts the two nodes and connects a client to each.</summary>
    private async Task<(NodeClient OnOurs, string OursId, NodeClient OnPeer, string PeerId)> StartWithClientsAsync(ShardedSubscriptionMode mode, PeerKind peer)
    {
        await StartAsync(mode, peer);
        var (onOurs, oursId) = await ClientAsync(_ours.Url);
        var (onPeer, peerId) = await ClientAsync(_peer.Url);
        return (onOurs, oursId, onPeer, peerId);
    }

    /// <summary>Starts the PushServer node and its peer in <paramref name="mode"/>, and waits until each counts the other.</summary>
    private async Task StartAsync(ShardedSubscriptionMode mode, PeerKind peer)
    {
        _mode = mode;
        _ours = Own(await PushServerNode.StartAsync(fixture.Cluster.Url, TimeSpan.FromSeconds(3), sharded: mode));
        _peer = Own(await ShardedPeer.StartAsync(peer, fixture.Cluster.Url, mode));
        // The count is Redis's (PUBSUB SHARDNUMSUB): nothing announces when a subscription has reached the shard.
        await PollAsync(async () => await _ours.Io.Sockets.Adapter.ServerCountAsync(CancellationToken.None) == 2
            && await _peer.ServerCountAsync() == 2, "the two nodes did not count each other");
    }

    private async Task<(NodeClient Client, string Id)> ClientAsync(string url)
    {
        var (client, id) = await ConnectAsync(url);
        return (Own(client), id);
    }

    /// <summary>
    /// In the dynamic modes a single-room broadcast travels on the room's own channel, which a node subscribes to when
    /// the room gets its first member there: this waits until <paramref name="nodes"/> nodes listen on it.
    /// </summary>
    private Task WaitForRoomChannelAsync(string room, int nodes, bool isSocketId = false) =>
        _mode == ShardedSubscriptionMode.Static || (isSocketId && _mode != ShardedSubscriptionMode.DynamicPrivate)
            ? Task.CompletedTask
            : PollAsync(async () => await CountShardSubscribersAsync("socket.io#/#" + room + "#") == nodes, $"{nodes} nodes did not subscribe to room {room}");

    private async Task<long> CountShardSubscribersAsync(string channel)
    {
        long total = 0;
        foreach (var server in _ours.Connection.Multiplexer!.GetServers().Where(s => s.IsConnected))
        {
            var answer = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel))!;
            total += (long)answer[1];
        }
        return total;
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string failure)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!await condition())
        {
            Assert.False(timeout.IsCancellationRequested, failure);
            await Task.Delay(50);
        }
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task Broadcasts_and_room_emits_cross_in_both_directions(ShardedSubscriptionMode mode, PeerKind peer)
    {
        var (member, memberId, onPeer, peerClientId) = await StartWithClientsAsync(mode, peer);
        var (outsider, _) = await ClientAsync(_ours.Url);

        // To one socket: on the namespace's channel, or in dynamic-private mode on the socket's own channel.
        await WaitForRoomChannelAsync(memberId, 1, isSocketId: true);
        await WaitForRoomChannelAsync(peerClientId, 1, isSocketId: true);
        await _peer.EmitAsync([memberId], "to-you", "member");
        Assert.Equal("member", (await member.WaitForServerEventAsync("to-you")).GetProperty("args")[0].GetString());
        await _ours.Io.To(peerClientId).EmitAsync("to-you", ["peer client"]);
        Assert.Equal("peer client", (await onPeer.WaitForServerEventAsync("to-you")).GetProperty("args")[0].GetString());

        await _peer.EmitAsync([], "from-peer", "a", 1);
        Assert.Equal("a", (await member.WaitForServerEventAsync("from-peer")).GetProperty("args")[0].GetString());
        await _ours.Io.Sockets.To([]).EmitAsync("from-pushserver", ["b", new byte[] { 3 }]);
        var binary = await onPeer.WaitForServerEventAsync("from-pushserver");
        Assert.Equal(new byte[] { 3 }, NodeClient.GetBinary(binary.GetProperty("args")[1]));

        await member.EmitWithAckAsync("join", "r1");
        await onPeer.EmitWithAckAsync("join", "r1");
        await WaitForRoomChannelAsync("r1", 2);
        await _peer.EmitAsync(["r1"], "room-from-peer", "for members");
        Assert.Equal("for members", (await member.WaitForServerEventAsync("room-from-peer")).GetProperty("args")[0].GetString());
        _ours.Io.To("r1").Emit("room-from-pushserver");
        await onPeer.WaitForServerEventAsync("room-from-pushserver");

        // The room's broadcast was handled on this node before the marker was sent: a leak to the outsider comes first.
        await _peer.EmitAsync([], "marker");
        await outsider.WaitForServerEventAsync("marker");
        Assert.DoesNotContain(outsider.Events, e => e.TryGetProperty("name", out var n) && n.GetString() == "room-from-peer");
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task Acks_of_a_broadcast_cross_in_both_directions(ShardedSubscriptionMode mode, PeerKind peer)
    {
        var (onOurs, _, onPeer, _) = await StartWithClientsAsync(mode, peer);

        var peerRun = _peer.EmitWithAckAsync("question", "p?");
        await AnswerAsync(onOurs, "pushserver-client");
        await AnswerAsync(onPeer, "peer-client");
        Assert.Equal(["peer-client", "pushserver-client"], (await peerRun).Order());

        var oursRun = _ours.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", ["d?"]);
        await AnswerAsync(onOurs, "pushserver-client");
        await AnswerAsync(onPeer, "peer-client");
        Assert.Equal(["peer-client", "pushserver-client"], (await oursRun.DefaultTimeout()).Select(a => a.GetString(0)).Order());
    }

    private static async Task AnswerAsync(NodeClient client, string answer)
    {
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), answer);
    }

    [Theory]
    [MemberData(nameof(Clusters))]
    public async Task Fetch_join_leave_and_disconnect_sockets_cross_in_both_directions(ShardedSubscriptionMode mode, PeerKind peer)
    {
        var (onOurs, oursId, onPeer, peerId) = await StartWithClientsAsync(mode, peer);

        var fetched = await _ours.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        Assert.True(fetched.IsComplete);
        Assert.Equal(new[] { oursId, peerId }.Order(), fetched.Value.Select(s => s.Id).Order());
        Assert.Equal(new[] { oursId, peerId }.Order(), (await _peer.FetchSocketIdsAsync()).Order());

        // The peer puts this node's client in a room, then emits to that room (on the room's channel, in dynamic mode).
        await _peer.SocketsJoinAsync([oursId], "joined-by-peer");
        Assert.Equal([oursId], await _peer.FetchSocketIdsAsync("joined-by-peer"));
        await WaitForRoomChannelAsync("joined-by-peer", 1);
        await _peer.EmitAsync(["joined-by-peer"], "welcome");
        await onOurs.WaitForServerEventAsync("welcome");
        await _peer.SocketsLeaveAsync([oursId], "joined-by-peer");
        Assert.Empty(await _peer.FetchSocketIdsAsync("joined-by-peer"));

        // And the other way round.
        _ours.Io.To(peerId).SocketsJoin("joined-by-pushserver");
        Assert.Equal([peerId], (await _ours.Io.To("joined-by-pushserver").FetchSocketsFromClusterAsync()).Value.Select(s => s.Id));
        _ours.Io.To(peerId).SocketsLeave("joined-by-pushserver");
        Assert.Empty((await _ours.Io.To("joined-by-pushserver").FetchSocketsFromClusterAsync()).Value);

        await _peer.DisconnectSocketsAsync([oursId]);
        Assert.Equal("io server disconnect", (await onOurs.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());
        _ours.Io.To(peerId).DisconnectSockets();
        Assert.Equal("io server disconnect", (await onPeer.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());
    }
}
