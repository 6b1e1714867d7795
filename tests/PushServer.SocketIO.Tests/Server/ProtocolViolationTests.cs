namespace PushServer.SocketIO.Tests.Server;

/// <summary>socket.io closes the whole connection on these, except for an unknown namespace.</summary>
public class ProtocolViolationTests
{
    private readonly TestServer _server = new();

    [Theory]
    [InlineData("2[\"x\"]")]
    [InlineData("3[]")]
    [InlineData("1")]
    public async Task Packet_for_a_namespace_not_joined_closes_the_connection(string packet)
    {
        var session = await _server.OpenAsync();

        await session.ReceiveAsync(packet);

        Assert.False(session.IsOpen);
        Assert.Equal(EngineCloseReason.ForcedClose, session.ClosedWith);
    }

    [Fact]
    public async Task Event_after_leaving_a_namespace_closes_the_connection()
    {
        var (session, _) = await _server.ConnectAsync();
        await session.ReceiveAsync("1");
        Assert.True(session.IsOpen);

        await session.ReceiveAsync("2[\"x\"]");

        Assert.False(session.IsOpen);
    }

    [Fact]
    public async Task Second_connect_to_the_same_namespace_closes_the_connection()
    {
        var (session, socket) = await _server.ConnectAsync();
        string? reason = null;
        socket.OnDisconnect(r => reason = r);

        await session.ReceiveAsync("0");

        Assert.False(session.IsOpen);
        Assert.Equal("forced server close", reason);
    }

    [Fact]
    public async Task Connect_error_from_the_client_closes_the_connection()
    {
        var (session, _) = await _server.ConnectAsync();

        await session.ReceiveAsync("4{\"message\":\"client side\"}");

        Assert.False(session.IsOpen);
    }

    [Fact]
    public async Task Malformed_packet_closes_with_parse_error_and_every_socket_sees_it()
    {
        _server.Io.Of("/admin");
        var (session, root) = await _server.ConnectAsync();
        await session.ReceiveAsync("0/admin,");
        var admin = Assert.Single(_server.Io.Of("/admin").Sockets.Values);
        var reasons = new List<string>();
        root.OnDisconnect(r => reasons.Add("/:" + r));
        admin.OnDisconnect(r => reasons.Add("/admin:" + r));

        await session.ReceiveAsync("2[\"unterminated\"");

        Assert.Equal(EngineCloseReason.ParseError, session.ClosedWith);
        Assert.Equal(["/:parse error", "/admin:parse error"], reasons.Order());
        Assert.Empty(_server.Io.Sockets.Sockets);
    }

    [Fact]
    public async Task Packets_after_the_close_are_not_dispatched()
    {
        var (session, socket) = await _server.ConnectAsync();
        var handled = 0;
        socket.On("x", _ => handled++);

        await session.ReceiveAsync("9");
        await socket.Connection.OnTextAsync("2[\"x\"]"u8.ToArray());

        Assert.Equal(0, handled);
    }
}
