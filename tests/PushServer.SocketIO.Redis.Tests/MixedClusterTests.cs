using PushServer.SocketIO.Redis.Tests.Streams;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A PushServer node and a Node socket.io 4.8 node on one redis-server, with @socket.io/redis-adapter 8.x or with
/// @socket.io/redis-streams-adapter 0.2.x (both nodes with connection state recovery): broadcasts, rooms, acks and
/// cluster queries cross in both directions, and with the streams adapter a session persisted by one node is
/// recovered on the other with the events it missed.
/// </summary>
public sealed class MixedClusterTests : IAsyncLifetime
{
    private readonly TestResources _owned = new();
    private RedisServer _redis = null!;
    private IClusterTestNode _dotnet = null!;
    private NodeClient _node = null!;
    private string _nodeUrl = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _owned.DisposeAsync();
    }

    /// <summary>Starts redis-server, a PushServer node and a Node node (tests/node/redis-node.js or redis-streams-node.js).</summary>
    private async Task StartAsync(AdapterKind kind)
    {
        _redis = await RedisServer.StartAsync();
        _owned.Add(_redis);
        _dotnet = await ClusterTestNodes.StartAsync(kind, _redis.Url, requestsTimeout: TimeSpan.FromSeconds(3));
        _owned.Add(_dotnet);
        _node = await NodeClient.StartAsync(kind == AdapterKind.PubSub ? "redis-node.js" : "redis-streams-node.js", new { redisUrl = _redis.Url });
        _owned.Add(_node);
        var ready = _node.Events.First(e => e.GetProperty("event").GetString() == "ready");
        _nodeUrl = $"http://127.0.0.1:{ready.GetProperty("port").GetInt32()}";
        if (kind == AdapterKind.PubSub)
        {
            // Both nodes subscribed: each counts the other.
            Assert.Equal(2, (await _node.RunAsync("serverCount")).GetInt32());
        }
    }

    private async Task<(NodeClient Client, string Id)> ClientAsync(string url)
    {
        var (client, id) = await ConnectAsync(url);
        _owned.Add(client);
        return (client, id);
    }

    [Theory]
    [InlineData(AdapterKind.PubSub)]
    [InlineData(AdapterKind.Streams)]
    public async Task Broadcasts_cross_from_node_to_pushserver_and_back(AdapterKind kind)
    {
        await StartAsync(kind);
        var (onDotnet, _) = await ClientAsync(_dotnet.Url);
        var (onNode, _) = await ClientAsync(_nodeUrl);

        await _node.RunAsync("emit", new { name = "from-node", args = new object[] { "a", 1, new Dictionary<string, object> { ["$binary"] = "AQI=" } } });
        var atDotnet = await onDotnet.WaitForServerEventAsync("from-node");
        var atNode = await onNode.WaitForServerEventAsync("from-node");
        Assert.Equal("a", atDotnet.GetProperty("args")[0].GetString());
        Assert.Equal(1, atDotnet.GetProperty("args")[1].GetInt32());
        Assert.Equal(new byte[] { 1, 2 }, NodeClient.GetBinary(atDotnet.GetProperty("args")[2]));

        await _dotnet.Io.Sockets.To([]).EmitAsync("from-dotnet", ["b", new byte[] { 3 }]);
        var fromDotnetAtNode = await onNode.WaitForServerEventAsync("from-dotnet");
        var fromDotnetAtDotnet = await onDotnet.WaitForServerEventAsync("from-dotnet");
        Assert.Equal("b", fromDotnetAtNode.GetProperty("args")[0].GetString());
        Assert.Equal(new byte[] { 3 }, NodeClient.GetBinary(fromDotnetAtNode.GetProperty("args")[1]));
        if (kind == AdapterKind.Streams)
        {
            // A stored event carries its stream entry id as offset, the same on both nodes.
            Assert.Equal(OffsetOf(atNode), OffsetOf(atDotnet));
            Assert.Equal(OffsetOf(fromDotnetAtDotnet), OffsetOf(fromDotnetAtNode));
        }
    }

    [Theory]
    [InlineData(AdapterKind.PubSub)]
    [InlineData(AdapterKind.Streams)]
    public async Task Each_node_counts_the_other_and_fetches_its_sockets(AdapterKind kind)
    {
        await StartAsync(kind);
        var (_, nodeClientId) = await ClientAsync(_nodeUrl);
        var (_, dotnetClientId) = await ClientAsync(_dotnet.Url);

        // Each node counts the other once it has its subscription (pub/sub) or has read its heartbeat (streams): both
        // counts are awaited (no event says so).
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (await _dotnet.Io.Sockets.Adapter.ServerCountAsync(timeout.Token) != 2)
        {
            await Task.Delay(50, timeout.Token);
        }
        while ((await _node.RunAsync("serverCount")).GetInt32() != 2)
        {
            await Task.Delay(50, timeout.Token);
        }

        var fromDotnet = await _dotnet.Io.Sockets.FetchSocketsAsync();
        Assert.Equal(new[] { dotnetClientId, nodeClientId }.Order(), fromDotnet.Select(s => s.Id).Order());
        var fromNode = await _node.RunAsync("fetchSockets");
        Assert.Equal(new[] { dotnetClientId, nodeClientId }.Order(), fromNode.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order());
    }

    [Fact]
    public async Task Room_emits_cross_in_both_directions()
    {
        await StartAsync(AdapterKind.PubSub);
        var (onDotnet, _) = await ClientAsync(_dotnet.Url);
        var (onNode, _) = await ClientAsync(_nodeUrl);
        await onDotnet.EmitWithAckAsync("join", "r1");
        await onNode.EmitWithAckAsync("join", "r1");

        await _node.RunAsync("emit", new { rooms = new[] { "r1" }, name = "room-from-node" });
        await onDotnet.WaitForServerEventAsync("room-from-node");

        _dotnet.Io.To("r1").Emit("room-from-dotnet");
        await onNode.WaitForServerEventAsync("room-from-dotnet");
    }

    [Fact]
    public async Task Acks_of_a_broadcast_cross_in_both_directions()
    {
        await StartAsync(AdapterKind.PubSub);
        var (onDotnet, _) = await ClientAsync(_dotnet.Url);
        var (onNode, _) = await ClientAsync(_nodeUrl);
        var nodeRun = _node.RunAsync("emitWithAck", new { name = "question", args = new[] { "n?" }, timeoutMs = 5000 });
        await AnswerAsync(onDotnet, "dotnet-client");
        await AnswerAsync(onNode, "node-client");
        var nodeAnswers = await nodeRun;
        Assert.Equal(["dotnet-client", "node-client"], nodeAnswers.EnumerateArray().Select(a => a.GetString()).Order());

        var dotnetRun = _dotnet.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", ["d?"]);
        await AnswerAsync(onDotnet, "dotnet-client");
        await AnswerAsync(onNode, "node-client");
        var dotnetAnswers = await dotnetRun.DefaultTimeout();
        Assert.Equal(["dotnet-client", "node-client"], dotnetAnswers.Select(a => a.GetString(0)).Order());
    }

    private static async Task AnswerAsync(NodeClient client, string answer)
    {
        var question = await client.WaitForServerEventAsync("question");
        await client.AckAsync(question.GetProperty("ackId").GetInt32(), answer);
    }

    [Fact]
    public async Task Fetch_sockets_and_sockets_join_cross_in_both_directions()
    {
        await StartAsync(AdapterKind.PubSub);
        var (onDotnet, dotnetId) = await ClientAsync(_dotnet.Url);
        var (_, nodeId) = await ClientAsync(_nodeUrl);

        var fetched = await _dotnet.Io.Sockets.To([]).FetchSocketsFromClusterAsync();
        Assert.True(fetched.IsComplete);
        Assert.Equal(new[] { dotnetId, nodeId }.Order(), fetched.Value.Select(s => s.Id).Order());
        var remote = fetched.Value.Single(s => s.Id == nodeId);
        Assert.Equal("node", ((JsonElement)remote.Data!).GetProperty("from").GetString());

        var fromNode = await _node.RunAsync("fetchSockets");
        var mine = fromNode.EnumerateArray().Single(s => s.GetProperty("id").GetString() == dotnetId);
        Assert.Equal("dotnet", mine.GetProperty("data").GetProperty("from").GetString());

        await _node.RunAsync("socketsJoin", new { rooms = new[] { dotnetId }, room = "joined-by-node" });
        var inRoom = await _node.RunAsync("fetchSockets", new { rooms = new[] { "joined-by-node" } });
        Assert.Equal(dotnetId, inRoom.EnumerateArray().Single().GetProperty("id").GetString());
        await _node.RunAsync("emit", new { rooms = new[] { "joined-by-node" }, name = "welcome" });
        await onDotnet.WaitForServerEventAsync("welcome");

        await _node.RunAsync("disconnectSockets", new { rooms = new[] { dotnetId } });
        Assert.Equal("io server disconnect", (await onDotnet.WaitForEventAsync("disconnect")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Server_side_emits_with_acks_cross_in_both_directions()
    {
        await StartAsync(AdapterKind.PubSub);
        var fromDotnet = await _dotnet.Io.Sockets.ServerSideEmitWithAckAsync("ping", ["hello node"]);
        Assert.True(fromDotnet.IsComplete);
        Assert.Equal("pong from node", Assert.Single(fromDotnet.Value).GetString());
        var seen = await _node.WaitForEventAsync("serverSideEvent");
        Assert.Equal("hello node", seen.GetProperty("args")[0].GetString());

        var fromNode = await _node.RunAsync("serverSideEmit", new { name = "ping", args = new[] { "hello dotnet" }, withAck = true });
        Assert.True(fromNode.ValueKind == JsonValueKind.Array, fromNode.ToString());
        Assert.Equal("pong from dotnet", fromNode.EnumerateArray().Single().GetString());
    }

    [Fact]
    public async Task A_session_the_Node_node_persisted_is_recovered_on_PushServer_with_the_missed_events()
    {
        await StartAsync(AdapterKind.Streams);
        var (watcher, _) = await ClientAsync(_dotnet.Url);
        await watcher.EmitWithAckAsync("join", "news");
        var (client, id) = await ClientAsync(_nodeUrl);
        await JoinNewsThenLoseTransportAsync(client, () => _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]).AsTask());
        var disconnected = await _node.WaitForEventAsync("disconnected", e => e.GetProperty("id").GetString() == id);
        Assert.Equal("transport close", disconnected.GetProperty("reason").GetString());
        await _node.RunAsync("emit", new { rooms = new[] { "news" }, name = "room-message", args = new[] { "m2" } });
        // Written to the stream once the watcher on the PushServer node has it.
        await WaitForAsync(watcher, "room-message", "m2");
        await _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m3"]);

        await client.SetUrlAsync(_dotnet.Url);
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, second.GetProperty("id").GetString());
        var recovered = _dotnet.Io.Sockets.Sockets[id];
        Assert.Contains("news", recovered.Rooms);

        await _node.RunAsync("emit", new { rooms = new[] { "news" }, name = "room-message", args = new[] { "m4" } });
        await WaitForAsync(client, "room-message", "m4");
        Assert.Equal(["m1", "m2", "m3", "m4"], Received(client, "room-message"));
    }

    [Fact]
    public async Task A_session_PushServer_persisted_is_recovered_on_the_Node_node_with_the_missed_events()
    {
        await StartAsync(AdapterKind.Streams);
        var (client, id) = await ClientAsync(_dotnet.Url);
        await JoinNewsThenLoseTransportAsync(client, () => _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]).AsTask());
        await ((StreamsNode)_dotnet).WaitForPersistedDisconnectAsync(id);
        await _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m2"]);

        await client.SetUrlAsync(_nodeUrl);
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, second.GetProperty("id").GetString());
        await WaitForAsync(client, "room-message", "m2");
        Assert.Equal(["m1", "m2"], Received(client, "room-message"));
    }
}
