using PushServer.SocketIO.Redis.Protocol;

namespace PushServer.SocketIO.Redis.Tests;

/// <summary>
/// The codec against bytes the real Node packages published (socket.io 4.8 with @socket.io/redis-adapter 8.3 and
/// @socket.io/redis-emitter 5.1), captured once with tests/node/fixtures/redis-wire.js.
/// </summary>
public class RedisMessageCodecTests
{
    private static readonly JsonSerializerOptions Json = new SocketIOServerForTests().SerializerOptions;

    // io.emit("hello", "world", 1, 2.5, -3, 300, true, null, { a: [1, "x"] }, Buffer.from([1, 2, 3])) on node oN1Z6q.
    private const string BroadcastToAll =
        "93a66f4e315a367183a47479706502a4646174619aa568656c6c6fa5776f726c6401cb4004000000000000fdcd012cc3c081a1619201a178c403010203a36e7370a12f83a5726f6f6d7390a665786365707490a5666c61677380";

    // io.to("room1").emit("hi"), published on socket.io#/#room1#.
    private const string BroadcastToOneRoom =
        "93a66f4e315a367183a47479706502a46461746191a26869a36e7370a12f83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380";

    // io.to("room1").to("room2").except("room3").volatile.emit("hi", "there").
    private const string VolatileBroadcastWithExcept =
        "93a66f4e315a367183a47479706502a46461746192a26869a57468657265a36e7370a12f83a5726f6f6d7392a5726f6f6d31a5726f6f6d32a665786365707491a5726f6f6d33a5666c61677381a8766f6c6174696c65c3";

    // io.timeout(1000).emit("question", 42, cb): the BROADCAST request, request id 3x2JjY.
    private const string BroadcastRequest =
        "85a3756964a66f4e315a3671a9726571756573744964a63378324a6a59a47479706507a67061636b657483a47479706502a46461746192a87175657374696f6e2aa36e7370a12fa46f70747383a5726f6f6d7390a665786365707490a5666c61677381a774696d656f7574cd03e8";

    // emitter.to("room1").except("room2").emit("news", { id: 7 }, Buffer.from([255])).
    private const string EmitterBroadcast =
        "93a7656d697474657283a47479706502a46461746193a46e65777381a2696407c401ffa36e7370a12f83a5726f6f6d7391a5726f6f6d31a5666c61677380a665786365707491a5726f6f6d32";

    [Fact]
    public void A_broadcast_to_everyone_is_encoded_byte_for_byte_as_the_node_adapter_does()
    {
        var args = new object?[] { "world", 1, 2.5, -3, 300, true, null, new Dictionary<string, object?> { ["a"] = new object?[] { 1, "x" } }, new byte[] { 1, 2, 3 } };
        var bytes = RedisMessageCodec.EncodeBroadcast("oN1Z6q", new BroadcastPacket("/", "hello", args), BroadcastOptions.All, Json);
        Assert.Equal(BroadcastToAll, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_broadcast_to_one_room_is_encoded_as_the_node_adapter_does()
    {
        var options = new BroadcastOptions { Rooms = new HashSet<string> { "room1" } };
        var bytes = RedisMessageCodec.EncodeBroadcast("oN1Z6q", new BroadcastPacket("/", "hi", []), options, Json);
        Assert.Equal(BroadcastToOneRoom, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Rooms_except_and_the_volatile_flag_are_encoded_as_the_node_adapter_does()
    {
        var options = new BroadcastOptions
        {
            Rooms = new HashSet<string> { "room1", "room2" },
            Except = new HashSet<string> { "room3" },
            Flags = new BroadcastFlags { Volatile = true },
        };
        var bytes = RedisMessageCodec.EncodeBroadcast("oN1Z6q", new BroadcastPacket("/", "hi", ["there"]), options, Json);
        Assert.Equal(VolatileBroadcastWithExcept, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_broadcast_request_with_acks_is_encoded_as_the_node_adapter_does()
    {
        var options = new BroadcastOptions { Flags = new BroadcastFlags { Timeout = TimeSpan.FromSeconds(1) } };
        var bytes = RedisMessageCodec.EncodeBroadcastRequest("oN1Z6q", "3x2JjY", new BroadcastPacket("/", "question", [42]), options, Json);
        Assert.Equal(BroadcastRequest, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void A_node_broadcast_decodes_to_its_event_arguments_and_binary()
    {
        Assert.True(RedisMessageCodec.TryDecodeBroadcast(Convert.FromHexString(BroadcastToAll), out var message));
        Assert.Equal("oN1Z6q", message!.Uid);
        Assert.Equal("/", message.Namespace);
        Assert.Equal("hello", message.EventName);
        Assert.Equal("world", message.Args[0]);
        Assert.Equal(1L, message.Args[1]);
        Assert.Equal(2.5, message.Args[2]);
        Assert.Equal(-3L, message.Args[3]);
        Assert.Equal(300L, message.Args[4]);
        Assert.Equal(true, message.Args[5]);
        Assert.Null(message.Args[6]);
        var map = Assert.IsType<Dictionary<string, object?>>(message.Args[7]);
        Assert.Equal(new object?[] { 1L, "x" }, Assert.IsType<List<object?>>(map["a"]));
        Assert.Equal(new byte[] { 1, 2, 3 }, ((ReadOnlyMemory<byte>)message.Args[8]!).ToArray());
        Assert.Empty(message.Options.Rooms);
        Assert.Empty(message.Options.Except);
    }

    [Fact]
    public void An_emitter_broadcast_decodes_with_its_rooms_except_and_binary()
    {
        Assert.True(RedisMessageCodec.TryDecodeBroadcast(Convert.FromHexString(EmitterBroadcast), out var message));
        Assert.Equal("emitter", message!.Uid);
        Assert.Equal("news", message.EventName);
        Assert.Equal(7L, Assert.IsType<Dictionary<string, object?>>(message.Args[0])["id"]);
        Assert.Equal(new byte[] { 255 }, ((ReadOnlyMemory<byte>)message.Args[1]!).ToArray());
        Assert.Equal(["room1"], message.Options.Rooms);
        Assert.Equal(["room2"], message.Options.Except);
        Assert.False(message.Options.Flags.Volatile);
    }

    [Fact]
    public void A_node_broadcast_request_decodes_with_its_timeout()
    {
        var request = Assert.IsType<Dictionary<string, object?>>(RedisMessageCodec.Decode(Convert.FromHexString(BroadcastRequest)));
        Assert.Equal(7L, request["type"]);
        Assert.Equal("3x2JjY", request["requestId"]);
        Assert.True(RedisMessageCodec.TryReadBroadcast((string?)request["uid"], request["packet"], request["opts"], out var message));
        Assert.Equal("question", message!.EventName);
        Assert.Equal([42L], message.Args);
        Assert.Equal(TimeSpan.FromSeconds(1), message.Options.Flags.Timeout);
    }

    [Fact]
    public void Json_requests_are_told_from_msgpack_by_their_first_byte()
    {
        // The emitter's serverSideEmit("ping", "a", 1) and socketsJoin requests are JSON; broadcasts are msgpack arrays.
        Assert.True(RedisMessageCodec.IsJson(Convert.FromHexString("7b22756964223a22656d6974746572222c2274797065223a362c2264617461223a5b2270696e67222c2261222c315d7d")));
        Assert.False(RedisMessageCodec.IsJson(Convert.FromHexString(BroadcastToOneRoom)));
    }
}
