namespace PushServer.SocketIO.Tests.Server;

public class EventAndAckTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task Event_reaches_its_handler_and_the_ack_is_sent_with_the_client_id()
    {
        var (session, socket) = await _server.ConnectAsync();
        SocketIOEvent? received = null;
        socket.On("chat", e => { received = e; e.Ack("got it", 2); });

        await session.ReceiveAsync("2456[\"chat\",\"hi\",{\"n\":1}]");

        Assert.NotNull(received);
        Assert.True(received!.HasAck);
        Assert.Equal("hi", received.Args.GetString(0));
        Assert.Equal(1, received.Args[1].GetProperty("n").GetInt32());
        Assert.Equal(["3456[\"got it\",2]"], session.Frames);
    }

    [Fact]
    public async Task Ack_is_sent_at_most_once()
    {
        var (session, socket) = await _server.ConnectAsync();
        var results = new List<bool>();
        socket.On("x", e => { results.Add(e.Ack(1)); results.Add(e.Ack(2)); });

        await session.ReceiveAsync("21[\"x\"]");

        Assert.Equal([true, false], results);
        Assert.Equal(["31[1]"], session.Frames);
    }

    [Fact]
    public async Task Event_without_ack_request_cannot_be_acked()
    {
        var (session, socket) = await _server.ConnectAsync();
        bool? acked = null;
        socket.On("x", e => acked = e.Ack("nope"));

        await session.ReceiveAsync("2[\"x\"]");

        Assert.False(acked);
        Assert.Empty(session.Frames);
    }

    [Fact]
    public async Task Events_in_custom_namespace_keep_the_namespace_prefix()
    {
        var (session, socket) = await _server.ConnectAsync("/admin");
        socket.On("q", e => e.Ack("a"));

        await session.ReceiveAsync("2/admin,7[\"q\"]");

        Assert.Equal(["3/admin,7[\"a\"]"], session.Frames);
    }

    [Fact]
    public async Task Numeric_event_name_dispatches_to_the_handler_of_its_text()
    {
        var (session, socket) = await _server.ConnectAsync();
        SocketIOEvent? received = null;
        socket.On("1", e => received = e);

        await session.ReceiveAsync("2[1,2]");

        Assert.Equal("1", received!.Name);
        Assert.Equal(2, received.Args[0].GetInt32());
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Event_without_listener_is_ignored()
    {
        var (session, _) = await _server.ConnectAsync();

        await session.ReceiveAsync("2[\"nobody\",1]");

        Assert.True(session.IsOpen);
        Assert.Empty(session.Frames);
    }

    [Fact]
    public async Task Server_emit_with_ack_uses_per_socket_ids_from_zero_and_returns_the_answer()
    {
        var (session, socket) = await _server.ConnectAsync();

        var first = socket.EmitWithAckAsync("question", ["q?"]);
        var second = socket.EmitWithAckAsync("question", ["again?"]);
        Assert.Equal(["20[\"question\",\"q?\"]", "21[\"question\",\"again?\"]"], session.Frames);

        await session.ReceiveAsync("31[\"second\"]");
        await session.ReceiveAsync("30[\"first\",42]");

        var a = await first.DefaultTimeout();
        Assert.Equal("first", a.GetString(0));
        Assert.Equal(42, a[1].GetInt32());
        Assert.Equal("second", (await second.DefaultTimeout()).GetString(0));
    }

    [Fact]
    public async Task Ack_ids_are_counted_per_socket()
    {
        var (s1, socket1) = await _server.ConnectAsync();
        var (s2, socket2) = await _server.ConnectAsync();

        _ = socket1.EmitWithAckAsync("a");
        _ = socket1.EmitWithAckAsync("a");
        _ = socket2.EmitWithAckAsync("b");

        Assert.Equal(["20[\"a\"]", "21[\"a\"]"], s1.Frames);
        Assert.Equal(["20[\"b\"]"], s2.Frames);
    }

    [Fact]
    public async Task Ack_with_unknown_id_is_silently_ignored()
    {
        var (session, _) = await _server.ConnectAsync();

        await session.ReceiveAsync("399[\"late\"]");
        await session.ReceiveAsync("3[]");

        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Emit_with_ack_times_out_on_virtual_time_and_a_late_ack_is_ignored()
    {
        var (session, socket) = await _server.ConnectAsync();

        var pending = socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question");
        _server.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pending.IsCompleted);
        _server.Time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => pending.DefaultTimeout());
        Assert.Equal("operation has timed out", error.Message);
        await session.ReceiveAsync("30[\"late\"]");
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Pending_ack_fails_when_the_socket_disconnects()
    {
        var (session, socket) = await _server.ConnectAsync();
        var pending = socket.EmitWithAckAsync("question");

        await session.ReceiveAsync("1");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.DefaultTimeout());
    }

    [Fact]
    public async Task Handler_may_await_an_ack_from_the_same_client()
    {
        var (session, socket) = await _server.ConnectAsync();
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.On("start", async e =>
        {
            var reply = await e.Socket.EmitWithAckAsync("confirm");
            answer.SetResult(reply.GetString(0));
        });

        await session.ReceiveAsync("2[\"start\"]");
        Assert.Equal(["20[\"confirm\"]"], session.Frames);
        await session.ReceiveAsync("30[\"yes\"]");

        Assert.Equal("yes", await answer.Task.DefaultTimeout());
    }

    [Fact]
    public async Task Handler_exception_is_logged_and_does_not_reach_the_engine()
    {
        var (session, socket) = await _server.ConnectAsync();
        socket.On("boom", _ => throw new InvalidOperationException("handler bug 7f3a"));
        var after = false;
        socket.On("after", _ => after = true);

        await session.ReceiveAsync("2[\"boom\"]");
        await session.ReceiveAsync("2[\"after\"]");

        Assert.True(after);
        Assert.True(session.IsOpen);
        Assert.Contains(TestLog.AtLeast(Microsoft.Extensions.Logging.LogLevel.Error),
            e => e.Exception?.Message == "handler bug 7f3a" && e.EventId == 3010);
    }

    [Fact]
    public async Task Async_handler_exception_is_logged()
    {
        var (session, socket) = await _server.ConnectAsync();
        var thrown = new TaskCompletionSource();
        socket.On("boom", async _ =>
        {
            await Task.Yield();
            thrown.SetResult();
            throw new InvalidOperationException("async handler bug 91c2");
        });

        await session.ReceiveAsync("2[\"boom\"]");
        await thrown.Task.DefaultTimeout();

        var (eventId, exception) = await _server.Errors.Logged.DefaultTimeout();
        Assert.Equal(3010, eventId);
        Assert.Equal("async handler bug 91c2", exception?.Message);
    }

    [Fact]
    public async Task OnAny_sees_events_before_their_handlers_and_OnAnyOutgoing_sees_emits()
    {
        var (session, socket) = await _server.ConnectAsync();
        var seen = new List<string>();
        socket.OnAny(e => seen.Add("any:" + e.Name));
        socket.On("x", _ => seen.Add("x"));
        socket.OnAnyOutgoing((name, args) => seen.Add("out:" + name + ":" + args.Count));

        await session.ReceiveAsync("2[\"x\"]");
        socket.Emit("y", 1, 2);
        _server.Io.Emit("z");

        Assert.Equal(["any:x", "x", "out:y:2", "out:z:0"], seen);
    }

    [Fact]
    public async Task Packet_middleware_error_is_raised_on_the_socket_and_nothing_is_sent()
    {
        var (session, socket) = await _server.ConnectAsync();
        Exception? raised = null;
        var handled = false;
        socket.Use((e, _) => e.Name == "forbidden" ? throw new UnauthorizedAccessException("no") : ValueTask.CompletedTask);
        socket.OnError(ex => raised = ex);
        socket.On("forbidden", _ => handled = true);
        socket.On("allowed", e => e.Ack("ok"));

        await session.ReceiveAsync("21[\"forbidden\"]");
        await session.ReceiveAsync("22[\"allowed\"]");

        Assert.IsType<UnauthorizedAccessException>(raised);
        Assert.False(handled);
        Assert.Equal(["32[\"ok\"]"], session.Frames);
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Reserved_event_name_from_the_client_closes_with_parse_error()
    {
        var (session, socket) = await _server.ConnectAsync();
        string? reason = null;
        socket.OnDisconnect(r => reason = r);

        await session.ReceiveAsync("2[\"disconnect\"]");

        Assert.False(session.IsOpen);
        Assert.Equal(EngineCloseReason.ParseError, session.ClosedWith);
        Assert.Equal("parse error", reason);
    }

    [Fact]
    public async Task Server_emit_of_a_reserved_name_throws()
    {
        var (_, socket) = await _server.ConnectAsync();
        Assert.Throws<ArgumentException>(() => socket.Emit("connect"));
        Assert.Throws<ArgumentException>(() => _server.Io.Emit("disconnecting"));
    }
}
