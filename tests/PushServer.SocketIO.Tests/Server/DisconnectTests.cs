namespace PushServer.SocketIO.Tests.Server;

public class DisconnectTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task Client_namespace_disconnect_keeps_the_engine_session()
    {
        _server.Io.Of("/admin");
        var (session, root) = await _server.ConnectAsync();
        await session.ReceiveAsync("0/admin,");
        var admin = Assert.Single(_server.Io.Of("/admin").Sockets.Values);
        var events = new List<string>();
        admin.OnDisconnecting(r => events.Add("disconnecting:" + r + ":" + admin.Rooms.Count));
        admin.OnDisconnect(r => events.Add("disconnect:" + r + ":" + admin.Rooms.Count));

        await session.ReceiveAsync("1/admin,");

        Assert.Equal(["disconnecting:client namespace disconnect:1", "disconnect:client namespace disconnect:0"], events);
        Assert.True(session.IsOpen);
        Assert.True(root.Connected);
        Assert.False(admin.Connected);
        Assert.True(admin.DisconnectToken.IsCancellationRequested);
        Assert.Empty(_server.Io.Of("/admin").Sockets);
    }

    [Fact]
    public async Task Server_disconnect_sends_disconnect_and_keeps_the_session()
    {
        var (session, socket) = await _server.ConnectAsync("/admin");
        string? reason = null;
        socket.OnDisconnect(r => reason = r);

        socket.Disconnect();

        Assert.Equal(["1/admin,"], session.Frames);
        Assert.True(session.IsOpen);
        Assert.Equal("server namespace disconnect", reason);
    }

    [Fact]
    public async Task Server_disconnect_with_close_sends_disconnect_for_every_namespace_then_closes_the_connection()
    {
        _server.Io.Of("/admin");
        var (session, root) = await _server.ConnectAsync();
        await session.ReceiveAsync("0/admin,");
        session.ClearSent();
        var admin = Assert.Single(_server.Io.Of("/admin").Sockets.Values);
        var reasons = new List<string>();
        root.OnDisconnect(r => reasons.Add(r));
        admin.OnDisconnect(r => reasons.Add(r));

        root.Disconnect(close: true);

        Assert.False(session.IsOpen);
        Assert.Equal(EngineCloseReason.ForcedClose, session.ClosedWith);
        // socket.io's disconnect(true): each socket is disconnected from its namespace first, so the client hears
        // "io server disconnect" and stays away, then the connection closes.
        Assert.Equal(["server namespace disconnect", "server namespace disconnect"], reasons);
        Assert.Equal(["1", "1/admin,"], session.Frames.Order());
    }

    [Theory]
    [InlineData(EngineCloseReason.TransportClose, "transport close")]
    [InlineData(EngineCloseReason.TransportError, "transport error")]
    [InlineData(EngineCloseReason.PingTimeout, "ping timeout")]
    [InlineData(EngineCloseReason.ForcedClose, "forced close")]
    [InlineData(EngineCloseReason.ServerShuttingDown, "server shutting down")]
    public async Task Engine_close_reason_reaches_the_disconnect_handler(EngineCloseReason engineReason, string expected)
    {
        var (session, socket) = await _server.ConnectAsync();
        string? reason = null;
        socket.OnDisconnect(r => reason = r);

        session.Drop(engineReason);

        Assert.Equal(expected, reason);
        Assert.Empty(_server.Io.Sockets.Sockets);
    }

    [Fact]
    public async Task Disconnected_socket_leaves_all_rooms()
    {
        var (session, socket) = await _server.ConnectAsync();
        socket.Join("room1");

        session.Drop(EngineCloseReason.TransportClose);

        Assert.Empty(await _server.Io.Sockets.Adapter.AllRoomsAsync(default));
    }
}
