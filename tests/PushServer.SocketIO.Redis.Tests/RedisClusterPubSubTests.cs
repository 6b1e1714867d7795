namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// Two PushServer nodes given the seed list of a real Redis Cluster (three masters, three replicas): the pub/sub
/// adapter's classic PUBLISH reaches every node of a Redis Cluster, so the nodes share broadcasts, rooms and acks.
/// </summary>
public sealed class RedisClusterPubSubTests(RedisClusterFixture fixture) : ClusterNodePairTests(fixture), IClassFixture<RedisClusterFixture>
{
    private async Task<NodeClient> ClientOnAAsync() => Resources.Add((await A.ConnectClientAsync()).Client);

    [Fact]
    public async Task The_seed_list_connects_to_every_node_of_the_cluster()
    {
        var multiplexer = A.Connection.Multiplexer!;

        // All six nodes were discovered, three of them masters, and the connection reports itself a cluster's.
        Assert.Equal(6, multiplexer.GetEndPoints().Length);
        Assert.Equal(3, multiplexer.GetServers().Count(s => !s.IsReplica));
        Assert.All(multiplexer.GetServers(), s => Assert.Equal(StackExchange.Redis.ServerType.Cluster, s.ServerType));
    }

    [Fact]
    public async Task A_broadcast_started_on_node_B_reaches_a_client_on_node_A()
    {
        var client = await ClientOnAAsync();

        var result = await B.Io.Sockets.To([]).EmitAsync("news", ["hello", 42]);

        var e = await client.WaitForServerEventAsync("news");
        Assert.Equal("hello", e.GetProperty("args")[0].GetString());
        Assert.Equal(42, e.GetProperty("args")[1].GetInt32());
        Assert.Equal(BroadcastReach.Cluster, result.Reach);
    }

    [Fact]
    public async Task A_room_emit_started_on_node_B_reaches_only_the_room_members_on_node_A()
    {
        var member = await ClientOnAAsync();
        var outsider = await ClientOnAAsync();
        Assert.Equal("joined", (await member.EmitWithAckAsync("join", "room1"))[0].GetString());

        B.Io.To("room1").Emit("room-news", "for members");
        B.Io.Emit("marker");

        Assert.Equal("for members", (await member.WaitForServerEventAsync("room-news")).GetProperty("args")[0].GetString());
        await member.WaitForServerEventAsync("marker");
        await outsider.WaitForServerEventAsync("marker");
        // Both emits went through the same Redis node; the marker arrived, so the room emit would have by now.
        Assert.DoesNotContain(outsider.Events, e => e.TryGetProperty("name", out var n) && n.GetString() == "room-news");
    }

    [Fact]
    public async Task An_emit_with_acks_started_on_node_B_collects_the_answer_of_a_client_on_node_A()
    {
        var client = await ClientOnAAsync();

        var acks = B.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", ["colour?"]);
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "blue");

        var answers = await acks.DefaultTimeout();
        Assert.Equal("blue", Assert.Single(answers).GetString(0));
    }

    [Fact]
    public async Task Sockets_on_node_A_are_fetched_joined_left_and_disconnected_from_node_B()
    {
        var client = await ClientOnAAsync();
        var id = Assert.Single(A.Io.Sockets.Sockets.Keys);

        var fetched = await B.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        // Every node answered, and the count of nodes came from the subscribers of all six Redis nodes together.
        Assert.True(fetched.IsComplete);
        Assert.Equal(1, fetched.ExpectedNodeCount);
        Assert.Equal(id, Assert.Single(fetched.Value).Id);

        B.Io.In(id).SocketsJoin("vip");
        Assert.Contains("vip", Assert.Single(await B.Io.In("vip").FetchSocketsAsync()).Rooms);
        B.Io.To("vip").Emit("vip-news");
        await client.WaitForServerEventAsync("vip-news");

        B.Io.In(id).SocketsLeave("vip");
        Assert.Empty(await B.Io.In("vip").FetchSocketsAsync());

        B.Io.In(id).DisconnectSockets();
        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
    }
}
