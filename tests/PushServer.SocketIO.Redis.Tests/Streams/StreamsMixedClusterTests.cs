using System.Text.Json;
using PushServer.Testing;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests.Streams;

/// <summary>
/// A PushServer node and a Node socket.io 4.8 node with @socket.io/redis-streams-adapter 0.2.x, both with connection
/// state recovery, on one stream: broadcasts cross both ways, the nodes count each other, and a session persisted by
/// one is recovered on the other with the events it missed.
/// </summary>
public sealed class StreamsMixedClusterTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _clients = [];
    private RedisServer _redis = null!;
    private StreamsNode _dotnet = null!;
    private NodeClient _node = null!;
    private string _nodeUrl = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _dotnet = await StreamsNode.StartAsync(_redis.Url);
        _node = await NodeClient.StartAsync("redis-streams-node.js", new { redisUrl = _redis.Url });
        var ready = _node.Events.First(e => e.GetProperty("event").GetString() == "ready");
        _nodeUrl = $"http://127.0.0.1:{ready.GetProperty("port").GetInt32()}";
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

    private async Task<(NodeClient Client, string Id)> ClientAsync(string url)
    {
        var (client, id) = await ConnectAsync(url);
        _clients.Add(client);
        return (client, id);
    }

    [Fact]
    public async Task Broadcasts_cross_both_ways_and_carry_the_same_offset_on_both_nodes()
    {
        var (onDotnet, _) = await ClientAsync(_dotnet.Url);
        var (onNode, _) = await ClientAsync(_nodeUrl);

        await _node.RunAsync("emit", new { name = "from-node", args = new object[] { "a", 1, new Dictionary<string, object> { ["$binary"] = "AQI=" } } });
        var atDotnet = await onDotnet.WaitForServerEventAsync("from-node");
        var atNode = await onNode.WaitForServerEventAsync("from-node");
        Assert.Equal("a", atDotnet.GetProperty("args")[0].GetString());
        Assert.Equal(1, atDotnet.GetProperty("args")[1].GetInt32());
        Assert.Equal(new byte[] { 1, 2 }, NodeClient.GetBinary(atDotnet.GetProperty("args")[2]));
        Assert.Equal(OffsetOf(atNode), OffsetOf(atDotnet));

        await _dotnet.Io.Sockets.To([]).EmitAsync("from-dotnet", ["b", new byte[] { 3 }]);
        atNode = await onNode.WaitForServerEventAsync("from-dotnet");
        atDotnet = await onDotnet.WaitForServerEventAsync("from-dotnet");
        Assert.Equal("b", atNode.GetProperty("args")[0].GetString());
        Assert.Equal(new byte[] { 3 }, NodeClient.GetBinary(atNode.GetProperty("args")[1]));
        Assert.Equal(OffsetOf(atDotnet), OffsetOf(atNode));
    }

    [Fact]
    public async Task Each_node_counts_the_other_and_fetches_its_sockets()
    {
        var (_, nodeClientId) = await ClientAsync(_nodeUrl);
        var (_, dotnetClientId) = await ClientAsync(_dotnet.Url);

        // The Node node answers the PushServer node's initial heartbeat; both count two servers.
        // Each node counts the other once it has read the other's heartbeat, one stream read later: both counts are
        // awaited (no event says so).
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (await _dotnet.Adapter.ServerCountAsync(timeout.Token) != 2)
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
    public async Task A_session_the_Node_node_persisted_is_recovered_on_PushServer_with_the_missed_events()
    {
        var (client, id) = await ClientAsync(_nodeUrl);
        await client.EmitWithAckAsync("join", "news");
        var (watcher, _) = await ClientAsync(_dotnet.Url);
        await watcher.EmitWithAckAsync("join", "news");
        await _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]);
        await WaitForAsync(client, "room-message", "m1");

        await client.DropTransportAsync();
        await client.WaitForEventAsync("disconnect");
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
        var (client, id) = await ClientAsync(_dotnet.Url);
        await client.EmitWithAckAsync("join", "news");
        await _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m1"]);
        await WaitForAsync(client, "room-message", "m1");

        await client.DropTransportAsync();
        await client.WaitForEventAsync("disconnect");
        await _dotnet.WaitForPersistedDisconnectAsync(id);
        await _dotnet.Io.Sockets.To("news").EmitAsync("room-message", ["m2"]);

        await client.SetUrlAsync(_nodeUrl);
        await client.ConnectAsync();
        var second = await client.WaitForEventAsync("connect", e => e.GetProperty("recovered").GetBoolean());
        Assert.Equal(id, second.GetProperty("id").GetString());
        await WaitForAsync(client, "room-message", "m2");
        Assert.Equal(["m1", "m2"], Received(client, "room-message"));
    }
}
