using StackExchange.Redis;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>Two PushServer nodes on one redis-server: what is started on node B acts on a client of node A.</summary>
public sealed class TwoNodeTests : IAsyncLifetime
{
    private readonly TestResources _resources = new();
    private RedisServer _redis = null!;
    private PushServerNode _a = null!;
    private PushServerNode _b = null!;

    public async Task InitializeAsync()
    {
        _redis = _resources.Add(await RedisServer.StartAsync());
        _a = _resources.Add(await PushServerNode.StartAsync(_redis.Url, TimeSpan.FromSeconds(2)));
        _b = _resources.Add(await PushServerNode.StartAsync(_redis.Url, TimeSpan.FromSeconds(2)));
    }

    public async Task DisposeAsync() => await _resources.DisposeAsync();

    private async Task<(NodeClient Client, string Id)> ClientOnAAsync()
    {
        var (client, id) = await _a.ConnectClientAsync();
        return (_resources.Add(client), id);
    }

    [Fact]
    public async Task A_broadcast_started_on_node_B_reaches_a_client_on_node_A()
    {
        var (client, _) = await ClientOnAAsync();

        var result = await _b.Io.Sockets.To([]).EmitAsync("news", ["hello", 42, new byte[] { 1, 2 }]);

        var e = await client.WaitForServerEventAsync("news");
        Assert.Equal("hello", e.GetProperty("args")[0].GetString());
        Assert.Equal(42, e.GetProperty("args")[1].GetInt32());
        Assert.Equal(new byte[] { 1, 2 }, NodeClient.GetBinary(e.GetProperty("args")[2]));
        Assert.Equal(BroadcastReach.Cluster, result.Reach);
        Assert.Equal(0, result.LocalRecipients);
        Assert.Equal(1, result.OtherNodes);
    }

    [Fact]
    public async Task A_room_emit_started_on_node_B_reaches_only_the_room_members_on_node_A()
    {
        var (member, _) = await ClientOnAAsync();
        var (outsider, _) = await ClientOnAAsync();
        Assert.Equal("joined", (await member.EmitWithAckAsync("join", "room1"))[0].GetString());

        _b.Io.To("room1").Emit("room-news", "for members");
        _b.Io.Emit("marker");

        Assert.Equal("for members", (await member.WaitForServerEventAsync("room-news")).GetProperty("args")[0].GetString());
        await outsider.WaitForServerEventAsync("marker");
        // The marker was published after the room emit and arrives in order, so the outsider would have had it by now.
        Assert.DoesNotContain(outsider.Events, e => e.TryGetProperty("name", out var n) && n.GetString() == "room-news");
    }

    [Fact]
    public async Task An_emit_with_acks_started_on_node_B_collects_the_answer_of_a_client_on_node_A()
    {
        var (client, _) = await ClientOnAAsync();

        var acks = _b.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", ["colour?"]);
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), "blue");

        var answers = await acks.DefaultTimeout();
        Assert.Equal("blue", Assert.Single(answers).GetString(0));
    }

    /// <summary>Application data with bytes, as a socket's <c>Data</c>.</summary>
    public sealed record Profile(string Name, byte[] Avatar);

    [Fact]
    public async Task Data_fetched_from_node_A_reads_back_on_node_B_as_the_stored_type_with_its_bytes()
    {
        var (_, id) = await ClientOnAAsync();
        _a.Io.Sockets.Sockets[id].Data = new Profile("ann", [1, 2, 255]);

        var remote = Assert.Single(await _b.Io.Sockets.FetchSocketsAsync());

        // The data crossed as JSON, its bytes a base64 string; read as a Profile they are bytes again.
        Assert.Equal(JsonValueKind.String, ((JsonElement)remote.Data!).GetProperty("avatar").ValueKind);
        var profile = remote.GetData<Profile>()!;
        Assert.Equal("ann", profile.Name);
        Assert.Equal(new byte[] { 1, 2, 255 }, profile.Avatar);
    }

    [Fact]
    public async Task Fetch_join_leave_and_disconnect_started_on_node_B_act_on_the_sockets_of_node_A()
    {
        var (client, id) = await ClientOnAAsync();

        var fetched = await _b.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        Assert.True(fetched.IsComplete);
        Assert.Equal(1, fetched.ExpectedNodeCount);
        var remote = Assert.Single(fetched.Value);
        Assert.Equal(id, remote.Id);
        Assert.Contains(id, remote.Rooms);
        Assert.Equal("dotnet", ((JsonElement)remote.Data!).GetProperty("from").GetString());

        _b.Io.In(id).SocketsJoin("vip");
        // A fetch travels on the same channel after the join, so its answer shows the join applied.
        Assert.Contains("vip", Assert.Single(await _b.Io.In("vip").FetchSocketsAsync()).Rooms);
        Assert.Contains("vip", _a.Io.Sockets.Sockets[id].Rooms);
        _b.Io.To("vip").Emit("vip-news");
        await client.WaitForServerEventAsync("vip-news");

        _b.Io.In(id).SocketsLeave("vip");
        Assert.Empty(await _b.Io.In("vip").FetchSocketsAsync());
        Assert.DoesNotContain("vip", _a.Io.Sockets.Sockets[id].Rooms);

        _b.Io.In(id).DisconnectSockets();
        var disconnect = await client.WaitForEventAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_server_side_emit_reaches_the_other_node_and_its_answer_comes_back()
    {
        var received = new TaskCompletionSource<IReadOnlyList<object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _a.Io.Sockets.OnServerSideEmit("note", args => received.TrySetResult(args));

        _b.Io.ServerSideEmit("note", "cache", 3);
        var args = await received.Task.DefaultTimeout();
        Assert.Equal("cache", ((JsonElement)args[0]!).GetString());
        Assert.Equal(3, ((JsonElement)args[1]!).GetInt32());

        var answers = await _b.Io.Sockets.ServerSideEmitWithAckAsync("ping", ["hi"]);
        Assert.True(answers.IsComplete);
        Assert.Equal("pong from dotnet", Assert.Single(answers.Value).GetString());
    }

    [Fact]
    public async Task Server_count_and_all_rooms_cover_both_nodes()
    {
        var (client, _) = await ClientOnAAsync();
        await client.EmitWithAckAsync("join", "only-on-a");

        Assert.Equal(2, await _b.Adapter.ServerCountAsync(default));
        var rooms = await _b.Adapter.AllRoomsFromClusterAsync(default);
        Assert.True(rooms.IsComplete);
        Assert.Contains("only-on-a", rooms.Value);
    }

    [Fact]
    public async Task A_node_that_does_not_answer_is_named_and_the_live_nodes_answer_still_returned()
    {
        var (_, id) = await ClientOnAAsync();
        // A subscriber that looks like a node (request channel and its own response channel) but never answers.
        await using var silent = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port}");
        await silent.GetSubscriber().SubscribeAsync(RedisChannel.Literal("socket.io-request#/#"), (_, _) => { });
        await silent.GetSubscriber().SubscribeAsync(RedisChannel.Literal("socket.io-response#/#Silent#"), (_, _) => { });

        var fetched = await _b.Io.Sockets.To([]).FetchSocketsFromClusterAsync().DefaultTimeout();

        Assert.False(fetched.IsComplete);
        Assert.Equal(2, fetched.ExpectedNodeCount);
        Assert.Equal(1, fetched.RespondedNodeCount);
        Assert.Equal(1, fetched.MissingNodeCount);
        Assert.Equal(["Silent"], fetched.MissingNodeIds);
        Assert.Equal(id, Assert.Single(fetched.Value).Id);
    }
}
