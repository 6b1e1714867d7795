namespace PushServer.SocketIO.Tests.Server;

/// <summary>
/// <see cref="SocketIOOptions.MaxOutboundPacketBytes"/>: a broadcast is measured once, on the bytes its recipients
/// share, and refused whole before anyone gets it when it is larger.
/// </summary>
public class BroadcastSizeLimitTests
{
    // 42["big","xxx…"], as queued (Engine.IO type digit included), is 12 bytes plus the text.
    private const int Limit = 100;

    private readonly TestServer _server = new(o => o.MaxOutboundPacketBytes = Limit);

    [Fact]
    public async Task A_broadcast_larger_than_the_limit_throws_and_reaches_nobody()
    {
        var (a, socketA) = await _server.ConnectAsync();
        var (b, _) = await _server.ConnectAsync();
        var text = new string('x', Limit);

        var thrown = Assert.Throws<SocketIOPacketTooLargeException>(() => _server.Io.Emit("big", text));
        Assert.Equal(Limit + 12, thrown.Size);
        Assert.Equal(Limit, thrown.Limit);
        Assert.Throws<SocketIOPacketTooLargeException>(() => socketA.Broadcast.Emit("big", text));
        Assert.Throws<SocketIOPacketTooLargeException>(() => _server.Io.To(socketA.Id).Volatile.Emit("big", text));
        await Assert.ThrowsAsync<SocketIOPacketTooLargeException>(async () => await _server.Io.Sockets.To(socketA.Id).EmitAsync("big", [text]));
        await Assert.ThrowsAsync<SocketIOPacketTooLargeException>(() => _server.Io.Sockets.Timeout(TimeSpan.FromSeconds(1)).EmitWithAckAsync("big", [text]));

        Assert.Empty(a.Frames);
        Assert.Empty(b.Frames);
    }

    [Fact]
    public async Task A_broadcast_at_the_limit_is_sent_and_every_recipient_gets_the_same_bytes()
    {
        var (a, _) = await _server.ConnectAsync();
        var (b, _) = await _server.ConnectAsync(); // v5
        var v4 = await _server.OpenAsync(EngineProtocolVersion.V3); // v4, joined to "/" at once
        v4.ClearSent();
        var text = new string('x', Limit - 12);

        _server.Io.Emit("big", text);

        Assert.Equal(["2[\"big\",\"" + text + "\"]"], a.Frames);
        // Encoded once, by the size check, and that one packet queued for everyone.
        Assert.Same(a.Sent[0], b.Sent[0]);
        Assert.Same(a.Sent[0], v4.Sent[0]);
    }

    [Fact]
    public async Task The_limit_counts_the_encoded_bytes_escapes_and_attachments_included()
    {
        var (a, _) = await _server.ConnectAsync();

        // 20 emoji are 80 bytes of UTF-8 but 240 once JSON escapes each as a surrogate pair.
        Assert.Throws<SocketIOPacketTooLargeException>(() => _server.Io.Emit("big", string.Concat(Enumerable.Repeat("\U0001F600", 20))));
        // A short text packet whose attachment makes it too large.
        var thrown = Assert.Throws<SocketIOPacketTooLargeException>(() => _server.Io.Emit("big", new byte[Limit]));
        Assert.True(thrown.Size > Limit);

        Assert.Empty(a.Frames);
    }

    [Fact]
    public async Task An_emit_to_one_socket_is_not_measured()
    {
        var (a, socket) = await _server.ConnectAsync();
        var text = new string('x', 10 * Limit);

        Assert.True(socket.Emit("big", text));

        Assert.Equal(["2[\"big\",\"" + text + "\"]"], a.Frames);
    }
}
