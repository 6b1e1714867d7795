namespace PushServer.SocketIO.Tests.Server;

/// <summary>EIO=3 clients (socket.io 1.x/2.x) speak Socket.IO protocol v4.</summary>
public class V4ProtocolTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task V4_client_joins_default_namespace_right_after_the_handshake()
    {
        SocketIOSocket? connected = null;
        _server.Io.OnConnection(s => connected = s);

        var session = await _server.OpenAsync(EngineProtocolVersion.V3);

        Assert.Equal(["0"], session.Frames);
        Assert.NotNull(connected);
        Assert.Equal(session.Id, connected!.Id);
    }

    [Fact]
    public async Task V4_custom_namespace_reply_has_no_payload_and_id_is_namespace_hash_sid()
    {
        _server.Io.Of("/admin");
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);
        session.ClearSent();

        await session.ReceiveAsync("0/admin,");

        Assert.Equal(["0/admin,"], session.Frames);
        Assert.Equal("/admin#" + session.Id, Assert.Single(_server.Io.Of("/admin").Sockets.Keys));
    }

    [Fact]
    public async Task V4_namespace_query_string_becomes_the_auth_object()
    {
        SocketIOSocket? admin = null;
        _server.Io.Of("/admin").OnConnection(s => admin = s);
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);

        await session.ReceiveAsync("0/admin?token=abc&x=1,");

        Assert.Equal("abc", admin!.Handshake.Auth.GetProperty("token").GetString());
        Assert.Equal("1", admin.Handshake.Auth.GetProperty("x").GetString());
        Assert.Equal("/admin", admin.Namespace.Name);
    }

    [Fact]
    public async Task V4_refusal_is_the_message_as_a_json_string()
    {
        _server.Io.Of("/admin").Use((_, _) => throw new ConnectErrorException("Not authorized"));
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);
        session.ClearSent();

        await session.ReceiveAsync("0/admin,");

        Assert.Equal(["4/admin,\"Not authorized\""], session.Frames);
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task V4_refusal_with_data_sends_the_data()
    {
        _server.Io.Of("/admin").Use((_, _) => throw new ConnectErrorException("Not authorized", new { code = 401 }));
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);
        session.ClearSent();

        await session.ReceiveAsync("0/admin,");

        Assert.Equal(["4/admin,{\"code\":401}"], session.Frames);
    }

    [Fact]
    public async Task V4_unknown_namespace_is_refused_with_the_message_object_like_the_reference()
    {
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);
        session.ClearSent();

        await session.ReceiveAsync("0/random,");

        Assert.Equal(["4/random,{\"message\":\"Invalid namespace\"}"], session.Frames);
    }

    [Fact]
    public async Task V4_events_and_acks_use_the_same_framing_as_v5()
    {
        _server.Io.OnConnection(s => s.On("chat", e => e.Ack("got " + e.Args.GetString(0))));
        var session = await _server.OpenAsync(EngineProtocolVersion.V3);
        session.ClearSent();

        await session.ReceiveAsync("25[\"chat\",\"hi\"]");

        Assert.Equal(["35[\"got hi\"]"], session.Frames);
    }

    [Fact]
    public async Task V4_default_namespace_middleware_refusal_is_sent_without_a_connect()
    {
        _server.Io.Use((_, _) => throw new ConnectErrorException("go away"));

        var session = await _server.OpenAsync(EngineProtocolVersion.V3);

        Assert.Equal(["4\"go away\""], session.Frames);
        Assert.Empty(_server.Io.Sockets.Sockets);
    }
}
