using System.Text.Json;
using PushServer.Testing;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// A PushServer node and a Node socket.io 4.8 node with @socket.io/redis-adapter 8.x on one redis-server:
/// broadcasts, rooms, acks and cluster queries cross in both directions.
/// </summary>
public sealed class MixedClusterTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private PushServerNode _dotnet = null!;
    private NodeClient _node = null!;
    private string _nodeUrl = null!;
    private readonly List<IAsyncDisposable> _clients = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _dotnet = await PushServerNode.StartAsync(_redis.Url, TimeSpan.FromSeconds(3));
        _node = await NodeClient.StartAsync("redis-node.js", new { redisUrl = _redis.Url });
        var ready = _node.Events.First(e => e.GetProperty("event").GetString() == "ready");
        _nodeUrl = $"http://127.0.0.1:{ready.GetProperty("port").GetInt32()}";
        // Both nodes subscribed: each counts the other.
        Assert.Equal(2, (await _node.RunAsync("serverCount")).GetInt32());
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
        await _node.DisposeAsync();
        await _dotnet.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<(NodeClient Client, string Id)> ConnectAsync(string url)
    {
        var client = await NodeClient.StartSocketIOAsync(new SocketIOClientConfig(url) { Transports = ["websocket"] });
        _clients.Add(client);
        var connect = await client.WaitForEventAsync("connect");
        return (client, connect.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task Broadcasts_cross_from_node_to_pushserver_and_back()
    {
        var (onDotnet, _) = await ConnectAsync(_dotnet.Url);
        var (onNode, _) = await ConnectAsync(_nodeUrl);

        await _node.RunAsync("emit", new { name = "from-node", args = new object[] { "a", 1, new Dictionary<string, object> { ["$binary"] = "AQI=" } } });
        var e = await onDotnet.WaitForServerEventAsync("from-node");
        Assert.Equal("a", e.GetProperty("args")[0].GetString());
        Assert.Equal(new byte[] { 1, 2 }, NodeClient.GetBinary(e.GetProperty("args")[2]));

        _dotnet.Io.Emit("from-dotnet", "b", new byte[] { 3 });
        e = await onNode.WaitForServerEventAsync("from-dotnet");
        Assert.Equal("b", e.GetProperty("args")[0].GetString());
        Assert.Equal(new byte[] { 3 }, NodeClient.GetBinary(e.GetProperty("args")[1]));
    }

    [Fact]
    public async Task Room_emits_cross_in_both_directions()
    {
        var (onDotnet, _) = await ConnectAsync(_dotnet.Url);
        var (onNode, _) = await ConnectAsync(_nodeUrl);
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
        var (onDotnet, _) = await ConnectAsync(_dotnet.Url);
        var (onNode, _) = await ConnectAsync(_nodeUrl);
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
        var (onDotnet, dotnetId) = await ConnectAsync(_dotnet.Url);
        var (_, nodeId) = await ConnectAsync(_nodeUrl);

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
        var fromDotnet = await _dotnet.Io.Sockets.ServerSideEmitWithAckAsync("ping", ["hello node"]);
        Assert.True(fromDotnet.IsComplete);
        Assert.Equal("pong from node", Assert.Single(fromDotnet.Value).GetString());
        var seen = await _node.WaitForEventAsync("serverSideEvent");
        Assert.Equal("hello node", seen.GetProperty("args")[0].GetString());

        var fromNode = await _node.RunAsync("serverSideEmit", new { name = "ping", args = new[] { "hello dotnet" }, withAck = true });
        Assert.True(fromNode.ValueKind == JsonValueKind.Array, fromNode.ToString());
        Assert.Equal("pong from dotnet", fromNode.EnumerateArray().Single().GetString());
    }
}
