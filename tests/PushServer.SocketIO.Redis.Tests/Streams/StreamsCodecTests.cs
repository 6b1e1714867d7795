using PushServer.SocketIO.Redis.Streams;
using StackExchange.Redis;
using static PushServer.SocketIO.Redis.Tests.Streams.StreamsTestClients;

namespace PushServer.SocketIO.Redis.Tests.Streams;

/// <summary>
/// What @socket.io/redis-streams-adapter 0.2.x (run by a real Node socket.io server) writes into Redis, field by
/// field and byte by byte, against what this adapter writes for the same thing.
/// </summary>
public sealed class StreamsCodecTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TestResources _resources = new();
    private RedisServer _redis = null!;
    private NodeClient _node = null!;
    private string _nodeUrl = null!;
    private string _nodeUid = null!;
    private IDatabase _db = null!;
    private ConnectionMultiplexer _multiplexer = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _node = await NodeClient.StartAsync("redis-streams-node.js", new { redisUrl = _redis.Url });
        var ready = _node.Events.First(e => e.GetProperty("event").GetString() == "ready");
        _nodeUrl = $"http://127.0.0.1:{ready.GetProperty("port").GetInt32()}";
        _nodeUid = ready.GetProperty("uid").GetString()!;
        _multiplexer = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port}");
        _db = _multiplexer.GetDatabase();
    }

    public async Task DisposeAsync()
    {
        await _resources.DisposeAsync();
        await _multiplexer.DisposeAsync();
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
    }

    /// <summary>Has the Node server broadcast, waits for its client to get it, and returns the stream entry.</summary>
    private async Task<StreamEntry> NodeBroadcastAsync(object command, string eventName)
    {
        var (client, _) = await ConnectAsync(_nodeUrl);
        _resources.Add(client);
        await client.EmitWithAckAsync("join", "r1");
        await _node.RunAsync("emit", command);
        var received = await client.WaitForServerEventAsync(eventName);
        var entries = await _db.StreamRangeAsync("socket.io", OffsetOf(received), OffsetOf(received));
        return Assert.Single(entries);
    }

    private static Dictionary<string, string> Fields(StreamEntry entry) =>
        entry.Values.ToDictionary(v => (string)v.Name!, v => (string)v.Value!);

    [Fact]
    public async Task A_room_broadcast_is_the_same_JSON_entry()
    {
        var entry = await NodeBroadcastAsync(
            new { rooms = new[] { "r1" }, except = new[] { "r2" }, name = "news", args = new object[] { "a", 1, new { k = true } } }, "news");

        Assert.Equal(["uid", "nsp", "type", "data"], entry.Values.Select(v => (string)v.Name!));
        var fields = Fields(entry);
        Assert.Equal(_nodeUid, fields["uid"]);
        Assert.Equal("/", fields["nsp"]);
        Assert.Equal("3", fields["type"]);
        const string expected = """{"packet":{"type":2,"data":["news","a",1,{"k":true}]},"opts":{"rooms":["r1"],"except":["r2"],"flags":{}}}""";
        Assert.Equal(expected, fields["data"]);

        using var args = JsonDocument.Parse("""["a",1,{"k":true}]""");
        var packet = new BroadcastPacket("/", "news", args.RootElement.EnumerateArray().Select(e => (object?)e).ToArray());
        var options = new BroadcastOptions { Rooms = new HashSet<string> { "r1" }, Except = new HashSet<string> { "r2" } };
        var ours = StreamMessageCodec.Encode(_nodeUid, "/", ClusterMessageType.Broadcast, RedisStreamsAdapter.BroadcastData(packet, options, null), Json);
        Assert.Equal(entry.Values.Select(v => ((string)v.Name!, (string)v.Value!)), ours.Select(v => ((string)v.Name!, (string)v.Value!)));
    }

    [Fact]
    public async Task A_broadcast_with_binary_is_the_same_base64_MessagePack_entry()
    {
        var entry = await NodeBroadcastAsync(
            new { name = "bin", args = new object[] { "x", new Dictionary<string, object> { ["$binary"] = "AQID" }, 300, 1.5 } }, "bin");

        var data = Fields(entry)["data"];
        Assert.NotEqual('{', data[0]);
        var packet = new BroadcastPacket("/", "bin", ["x", new byte[] { 1, 2, 3 }, 300, 1.5]);
        var ours = StreamMessageCodec.EncodeData(ClusterMessageType.Broadcast, RedisStreamsAdapter.BroadcastData(packet, BroadcastOptions.All, null), Json);
        Assert.Equal(Convert.ToHexString(Convert.FromBase64String(data)), Convert.ToHexString(Convert.FromBase64String(ours)));
    }

    [Fact]
    public async Task A_session_the_Node_node_persists_reads_back_and_writes_again_byte_for_byte()
    {
        var (client, id) = await ConnectAsync(_nodeUrl);
        _resources.Add(client);
        await client.EmitWithAckAsync("join", "r1");
        await _node.RunAsync("emit", new { name = "hello", args = new[] { "x" } });
        await client.WaitForServerEventAsync("hello");

        await client.DropTransportAsync();
        await _node.WaitForEventAsync("disconnected", e => e.GetProperty("id").GetString() == id);
        var keys = new List<string>();
        await foreach (var key in _multiplexer.GetServer(_multiplexer.GetEndPoints()[0]).KeysAsync(pattern: "sio:session:*"))
        {
            keys.Add(key!);
        }
        var stored = (string)(await _db.StringGetAsync(Assert.Single(keys)))!;
        var ttl = await _db.KeyTimeToLiveAsync(keys[0]);

        Assert.True(SessionCodec.TryDecode(stored, Json, out var session));
        Assert.Equal(id, session!.Sid);
        Assert.Equal("sio:session:" + session.Pid, keys[0]);
        Assert.Equal(new[] { id, "r1" }.Order(), session.Rooms.Order());
        Assert.Equal("node", ((JsonElement)session.Data!).GetProperty("from").GetString());
        Assert.Equal(stored, SessionCodec.Encode(session, Json));
        // SET … PX maxDisconnectionDuration (two minutes).
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(2));
    }

    [Theory]
    [InlineData("1700000000000-0", true)]
    [InlineData("9-18446744073709551615", true)]
    [InlineData("-1", false)]
    [InlineData("1-", false)]
    [InlineData("1-0 ", false)]
    [InlineData("+1-0", false)]
    [InlineData("$", false)]
    public void Offsets_parse_only_as_stream_ids(string text, bool valid)
    {
        Assert.Equal(valid, StreamEntryId.TryParse(text, out var id));
        if (valid)
        {
            Assert.Equal(text, id.ToString());
        }
    }

    [Fact]
    public void Stream_ids_compare_as_numbers_not_as_text()
    {
        StreamEntryId.TryParse("9-5", out var nine);
        StreamEntryId.TryParse("10-0", out var ten);
        Assert.True(nine < ten);
        Assert.Equal("9-6", nine.Next().ToString());
    }
}
