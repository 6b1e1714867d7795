namespace PushServer.SocketIO.Tests.Server;

public class RoomsAndBroadcastTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task Socket_is_in_its_own_room_and_the_rooms_it_joined()
    {
        var (_, socket) = await _server.ConnectAsync();

        socket.Join("a");
        socket.Join(["b", "c"]);
        socket.Leave("b");

        Assert.Equal(new[] { socket.Id, "a", "c" }.Order(), socket.Rooms.Order());
    }

    [Fact]
    public async Task Emit_to_a_socket_id_reaches_that_socket_only()
    {
        var (s1, socket1) = await _server.ConnectAsync();
        var (s2, _) = await _server.ConnectAsync();

        _server.Io.To(socket1.Id).Emit("private", 1);

        Assert.Equal(["2[\"private\",1]"], s1.Frames);
        Assert.Empty(s2.Frames);
    }

    [Fact]
    public async Task Broadcast_to_rooms_with_except_selects_the_union_minus_excluded_members()
    {
        var (a, socketA) = await _server.ConnectAsync();
        var (b, socketB) = await _server.ConnectAsync();
        var (c, socketC) = await _server.ConnectAsync();
        var (d, _) = await _server.ConnectAsync();
        socketA.Join("room1");
        socketB.Join(["room1", "room2"]);
        socketC.Join(["room2", "vip"]);

        _server.Io.To("room1").To("room2").Except("vip").Emit("news", "x");

        Assert.Equal(["2[\"news\",\"x\"]"], a.Frames);
        Assert.Equal(["2[\"news\",\"x\"]"], b.Frames);
        Assert.Empty(c.Frames);
        Assert.Empty(d.Frames);
    }

    [Fact]
    public async Task Socket_broadcast_reaches_everyone_but_the_sender()
    {
        var (a, socketA) = await _server.ConnectAsync();
        var (b, _) = await _server.ConnectAsync();
        var (c, socketC) = await _server.ConnectAsync();
        socketA.Join("r");
        socketC.Join("r");

        socketA.Broadcast.Emit("all");
        socketA.To("r").Emit("room");

        Assert.Empty(a.Frames);
        Assert.Equal(["2[\"all\"]"], b.Frames);
        Assert.Equal(["2[\"all\"]", "2[\"room\"]"], c.Frames);
    }

    [Fact]
    public async Task Broadcast_in_a_namespace_uses_its_prefix_and_skips_other_namespaces()
    {
        var (root, _) = await _server.ConnectAsync();
        var (admin, _) = await _server.ConnectAsync("/admin");

        _server.Io.Of("/admin").Emit("hello");

        Assert.Empty(root.Frames);
        Assert.Equal(["2/admin,[\"hello\"]"], admin.Frames);
    }

    [Fact]
    public async Task Volatile_broadcast_is_dropped_for_a_client_that_cannot_take_it_now()
    {
        var (ready, _) = await _server.ConnectAsync();
        var (busy, _) = await _server.ConnectAsync();
        busy.Writable = false;

        _server.Io.Volatile.Emit("tick", 1);
        _server.Io.Emit("important");

        Assert.Equal(["2[\"tick\",1]", "2[\"important\"]"], ready.Frames);
        Assert.Equal(["2[\"important\"]"], busy.Frames);
    }

    [Fact]
    public async Task Volatile_emit_on_a_socket_is_dropped_when_not_writable()
    {
        var (session, socket) = await _server.ConnectAsync();
        session.Writable = false;

        Assert.False(socket.Volatile.Emit("tick"));
        Assert.Empty(session.Frames);
    }

    [Fact]
    public async Task Broadcast_hands_the_same_packet_instance_to_every_session()
    {
        var sessions = new List<FakeEngineSession>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add((await _server.ConnectAsync()).Session);
        }
        var v3 = await _server.OpenAsync(EngineProtocolVersion.V3);
        v3.ClearSent();
        sessions.Add(v3);

        _server.Io.Emit("news", "x", new byte[] { 1 });

        var first = sessions[0].Sent;
        Assert.Equal(2, first.Count);
        foreach (var s in sessions)
        {
            Assert.Equal(2, s.Sent.Count);
            Assert.Same(first[0], s.Sent[0]);
            Assert.Same(first[1], s.Sent[1]);
        }
        Assert.Equal("51-[\"news\",\"x\",{\"_placeholder\":true,\"num\":0}]", FakeEngineSession.Describe(first[0]));
    }

    [Fact]
    public async Task Broadcast_with_ack_collects_every_answer_with_one_id_valid_on_each_socket()
    {
        var (a, socketA) = await _server.ConnectAsync();
        var (b, _) = await _server.ConnectAsync();
        _ = socketA.EmitWithAckAsync("private");
        a.ClearSent();

        var pending = _server.Io.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("poll", ["q"]);

        // a already used id 0, so the shared id is 1 for both; the packet is one instance.
        Assert.Equal(["21[\"poll\",\"q\"]"], a.Frames);
        Assert.Same(a.Sent[0], b.Sent[0]);
        await a.ReceiveAsync("31[\"yes\"]");
        Assert.False(pending.IsCompleted);
        await b.ReceiveAsync("31[\"no\"]");

        var answers = await pending.DefaultTimeout();
        Assert.Equal(["yes", "no"], answers.Select(x => x.GetString(0)));
        _ = socketA.EmitWithAckAsync("next");
        Assert.Equal("22[\"next\"]", a.Frames[^1]);
    }

    [Fact]
    public async Task Broadcast_with_ack_times_out_on_virtual_time_with_the_answers_received()
    {
        var (a, _) = await _server.ConnectAsync();
        var (b, _) = await _server.ConnectAsync();

        var pending = _server.Io.Timeout(TimeSpan.FromSeconds(2)).EmitWithAckAsync("poll");
        await a.ReceiveAsync("30[\"yes\"]");
        _server.Time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<SocketIOAckTimeoutException>(() => pending.DefaultTimeout());
        Assert.Equal(2, error.Expected);
        Assert.Equal("yes", Assert.Single(error.Responses).GetString(0));
        await b.ReceiveAsync("30[\"late\"]");
        Assert.True(b.IsOpen);
    }

    [Fact]
    public async Task Broadcast_with_ack_to_nobody_completes_at_once()
    {
        var answers = await _server.Io.To("empty").Timeout(TimeSpan.FromSeconds(1)).EmitWithAckAsync("poll").DefaultTimeout();
        Assert.Empty(answers);
    }

    [Fact]
    public async Task Fetch_sockets_describes_the_selection()
    {
        var (_, socketA) = await _server.ConnectAsync("/", "{\"user\":\"ann\"}");
        var (_, socketB) = await _server.ConnectAsync();
        socketA.Join("room1");
        socketA.Data = "ann's data";

        var all = await _server.Io.FetchSocketsAsync();
        var inRoom = await _server.Io.In("room1").FetchSocketsAsync();

        Assert.Equal(new[] { socketA.Id, socketB.Id }.Order(), all.Select(s => s.Id).Order());
        var remote = Assert.Single(inRoom);
        Assert.Equal(socketA.Id, remote.Id);
        Assert.Equal("ann's data", remote.Data);
        Assert.Contains("room1", remote.Rooms);
        Assert.Equal("ann", remote.Handshake.Auth.GetProperty("user").GetString());
    }

    [Fact]
    public async Task Remote_socket_operations_reach_the_socket()
    {
        var (session, socket) = await _server.ConnectAsync();
        var remote = Assert.Single(await _server.Io.FetchSocketsAsync());

        remote.Emit("hi", 1);
        remote.Join("joined");
        Assert.Contains("joined", socket.Rooms);
        remote.Leave("joined");
        Assert.DoesNotContain("joined", socket.Rooms);
        remote.Disconnect();

        Assert.Equal(["2[\"hi\",1]", "1"], session.Frames);
        Assert.False(socket.Connected);
    }

    [Fact]
    public async Task Sockets_join_and_leave_apply_to_the_selection()
    {
        var (_, socketA) = await _server.ConnectAsync();
        var (_, socketB) = await _server.ConnectAsync();
        socketA.Join("red");

        _server.Io.In("red").SocketsJoin("blue", "green");
        _server.Io.SocketsJoin("everyone");
        _server.Io.Except("red").SocketsLeave("everyone");

        Assert.Equal(new[] { socketA.Id, "red", "blue", "green", "everyone" }.Order(), socketA.Rooms.Order());
        Assert.Equal([socketB.Id], socketB.Rooms);
    }

    [Fact]
    public async Task Disconnect_sockets_applies_to_the_selection()
    {
        var (a, socketA) = await _server.ConnectAsync();
        var (b, socketB) = await _server.ConnectAsync();
        var (c, _) = await _server.ConnectAsync();
        socketA.Join("kick");
        socketB.Join("close");

        _server.Io.In("kick").DisconnectSockets();
        _server.Io.In("close").DisconnectSockets(close: true);

        Assert.Equal(["1"], a.Frames);
        Assert.True(a.IsOpen);
        Assert.False(socketA.Connected);
        Assert.False(b.IsOpen);
        Assert.True(c.IsOpen);
        Assert.Single(_server.Io.Sockets.Sockets);
    }

    [Fact]
    public async Task Server_side_emit_is_a_no_op_with_one_node_and_checks_reserved_names()
    {
        var (session, _) = await _server.ConnectAsync();

        _server.Io.ServerSideEmit("sync", 1);

        Assert.Empty(session.Frames);
        Assert.Throws<ArgumentException>(() => _server.Io.ServerSideEmit("connection"));
        Assert.Equal(1, await _server.Io.Sockets.Adapter.ServerCountAsync(default));
    }

    [Fact]
    public async Task Server_side_emit_from_another_node_reaches_its_handler()
    {
        IReadOnlyList<object?>? received = null;
        _server.Io.Sockets.OnServerSideEmit("sync", args => received = args);

        _server.Io.Sockets.DispatchServerSideEmit("sync", ["x", 2]);

        Assert.Equal(["x", 2], received!);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task All_rooms_lists_every_room_of_the_namespace()
    {
        var (_, socket) = await _server.ConnectAsync();
        socket.Join("lobby");

        var rooms = await _server.Io.Sockets.Adapter.AllRoomsAsync(default);

        Assert.Equal(new[] { socket.Id, "lobby" }.Order(), rooms.Order());
    }
}
