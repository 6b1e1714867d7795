namespace PushServer.SocketIO.Tests.Server;

public class ConnectTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task Connect_to_default_namespace_replies_with_a_fresh_socket_id()
    {
        var session = await _server.OpenAsync();
        Assert.Empty(session.Frames);

        await session.ReceiveAsync("0");

        var socket = Assert.Single(_server.Io.Sockets.Sockets.Values);
        Assert.Equal(["0{\"sid\":\"" + socket.Id + "\"}"], session.Frames);
        Assert.Equal(20, socket.Id.Length);
        Assert.Matches("^[A-Za-z0-9_-]{20}$", socket.Id);
        Assert.NotEqual(session.Id, socket.Id);
        Assert.True(socket.Connected);
    }

    [Fact]
    public async Task Connect_auth_and_engine_handshake_are_exposed_on_the_socket()
    {
        var (_, socket) = await _server.ConnectAsync("/", "{\"token\":\"123\"}");

        Assert.Equal("123", socket.Handshake.Auth.GetProperty("token").GetString());
        Assert.Equal("test", socket.Handshake.Headers["user-agent"]);
        Assert.Equal("4", socket.Handshake.Query["EIO"]);
        Assert.Equal("127.0.0.1", socket.Handshake.Address);
        Assert.False(socket.Handshake.Secure);
        Assert.StartsWith("/socket.io/", socket.Handshake.Url);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z"), socket.Handshake.Issued);
    }

    [Fact]
    public async Task Auth_is_an_empty_object_when_the_client_sent_none()
    {
        var (_, socket) = await _server.ConnectAsync();
        Assert.Equal(JsonValueKind.Object, socket.Handshake.Auth.ValueKind);
        Assert.Empty(socket.Handshake.Auth.EnumerateObject());
    }

    [Fact]
    public async Task Connect_to_a_custom_namespace_with_or_without_trailing_comma()
    {
        _server.Io.Of("/custom");
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0/custom");

        var socket = Assert.Single(_server.Io.Of("/custom").Sockets.Values);
        Assert.Equal(["0/custom,{\"sid\":\"" + socket.Id + "\"}"], session.Frames);
    }

    [Fact]
    public async Task Unknown_namespace_is_refused_with_invalid_namespace()
    {
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0/random,");

        Assert.Equal(["4/random,{\"message\":\"Invalid namespace\"}"], session.Frames);
        Assert.True(session.IsOpen);
        await session.ReceiveAsync("0");
        Assert.Single(_server.Io.Sockets.Sockets);
    }

    [Fact]
    public async Task Middleware_error_becomes_connect_error_with_message_and_data()
    {
        _server.Io.Of("/private").Use((socket, ct) =>
            socket.Handshake.Auth.TryGetProperty("token", out _)
                ? ValueTask.CompletedTask
                : throw new ConnectErrorException("Not authorized", new { reason = "no token" }));
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0/private,");

        Assert.Equal(["4/private,{\"message\":\"Not authorized\",\"data\":{\"reason\":\"no token\"}}"], session.Frames);
        Assert.True(session.IsOpen);
        Assert.Empty(_server.Io.Of("/private").Sockets);

        session.ClearSent();
        await session.ReceiveAsync("0/private,{\"token\":\"t\"}");
        Assert.StartsWith("0/private,{\"sid\":", Assert.Single(session.Frames));
    }

    [Fact]
    public async Task Any_middleware_exception_refuses_with_its_message()
    {
        _server.Io.Use(async (_, ct) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("database down");
        });
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0");

        Assert.Equal(["4{\"message\":\"database down\"}"], session.Frames);
    }

    [Fact]
    public async Task Middlewares_run_in_order_and_see_the_socket_before_it_joins()
    {
        var order = new List<string>();
        _server.Io.Use((s, _) => { order.Add("a:" + s.Connected); s.Data = "set by middleware"; return default; });
        _server.Io.Use((s, _) => { order.Add("b"); return default; });
        _server.Io.OnConnection(s => order.Add("connection:" + s.Data));

        await _server.ConnectAsync();

        Assert.Equal(["a:False", "b", "connection:set by middleware"], order);
    }

    [Fact]
    public async Task Connection_handler_emits_follow_the_connect_reply()
    {
        _server.Io.OnConnection(s => s.Emit("welcome", "hi"));
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0");

        Assert.Equal(2, session.Frames.Count);
        Assert.StartsWith("0{\"sid\":", session.Frames[0]);
        Assert.Equal("2[\"welcome\",\"hi\"]", session.Frames[1]);
    }

    [Fact]
    public async Task Dynamic_namespace_by_regex_creates_a_child_with_the_parent_handlers()
    {
        var parent = _server.Io.Of(new System.Text.RegularExpressions.Regex(@"^/dynamic-\d+$"));
        var connected = new List<string>();
        parent.OnConnection(s => connected.Add(s.Namespace.Name));
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0/dynamic-101,");
        await session.ReceiveAsync("0/dynamic-abc,");

        Assert.Equal(["/dynamic-101"], connected);
        Assert.StartsWith("0/dynamic-101,{\"sid\":", session.Frames[0]);
        Assert.Equal("4/dynamic-abc,{\"message\":\"Invalid namespace\"}", session.Frames[1]);
        Assert.Equal("/dynamic-101", Assert.Single(parent.Children).Name);
    }

    [Fact]
    public async Task Dynamic_namespace_predicate_sees_the_auth_and_parent_middleware_applies()
    {
        var parent = _server.Io.Of((name, auth) => name.StartsWith("/team-") && auth.TryGetProperty("member", out _));
        parent.Use((s, _) => s.Handshake.Auth.GetProperty("member").GetBoolean()
            ? ValueTask.CompletedTask
            : throw new ConnectErrorException("not a member"));
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0/team-a,{}");
        await session.ReceiveAsync("0/team-a,{\"member\":false}");
        await session.ReceiveAsync("0/team-a,{\"member\":true}");

        Assert.Equal("4/team-a,{\"message\":\"Invalid namespace\"}", session.Frames[0]);
        Assert.Equal("4/team-a,{\"message\":\"not a member\"}", session.Frames[1]);
        Assert.StartsWith("0/team-a,{\"sid\":", session.Frames[2]);
    }

    [Fact]
    public async Task Connection_without_a_namespace_is_closed_after_connect_timeout()
    {
        var session = await _server.OpenAsync();

        _server.Time.Advance(TimeSpan.FromSeconds(44.9));
        Assert.True(session.IsOpen);
        _server.Time.Advance(TimeSpan.FromSeconds(0.2));

        Assert.False(session.IsOpen);
        Assert.Equal(EngineCloseReason.ForcedClose, session.ClosedWith);
    }

    [Fact]
    public async Task Connect_timeout_is_configurable_and_a_join_stops_it()
    {
        var server = new TestServer(o => o.ConnectTimeout = TimeSpan.FromSeconds(5));
        var idle = await server.OpenAsync();
        var joined = await server.OpenAsync();
        await joined.ReceiveAsync("0");

        server.Time.Advance(TimeSpan.FromSeconds(6));

        Assert.False(idle.IsOpen);
        Assert.True(joined.IsOpen);
    }

    [Fact]
    public async Task Failed_join_does_not_stop_the_connect_timeout()
    {
        var session = await _server.OpenAsync();
        await session.ReceiveAsync("0/random,");

        _server.Time.Advance(TimeSpan.FromSeconds(46));

        Assert.False(session.IsOpen);
    }

    [Fact]
    public async Task Rooms_joined_by_a_refusing_middleware_are_dropped()
    {
        _server.Io.Use((s, ct) =>
        {
            s.Join("premium");
            throw new ConnectErrorException("no");
        });
        var session = await _server.OpenAsync();

        await session.ReceiveAsync("0");

        Assert.Empty(await _server.Io.Sockets.Adapter.AllRoomsAsync(default));
    }
}
