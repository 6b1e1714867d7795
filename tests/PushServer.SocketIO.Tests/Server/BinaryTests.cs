namespace PushServer.SocketIO.Tests.Server;

public class BinaryTests
{
    private readonly TestServer _server = new();

    [Fact]
    public async Task Binary_event_reaches_the_handler_only_after_its_last_attachment()
    {
        var (session, socket) = await _server.ConnectAsync();
        SocketIOEvent? received = null;
        socket.On("upload", e => received = e);

        await session.ReceiveAsync("52-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"meta\":{\"_placeholder\":true,\"num\":1}}]");
        await session.ReceiveBinaryAsync(1, 2, 3);
        Assert.Null(received);
        await session.ReceiveBinaryAsync(4);

        Assert.NotNull(received);
        Assert.True(received!.Args.IsBinary(0));
        Assert.Equal(new byte[] { 1, 2, 3 }, received.Args.GetBytes(0).ToArray());
        Assert.True(received.Args.TryGetBytes(received.Args[1].GetProperty("meta"), out var nested));
        Assert.Equal(new byte[] { 4 }, nested.ToArray());
    }

    [Fact]
    public async Task Binary_argument_deserialises_into_byte_members()
    {
        var (session, socket) = await _server.ConnectAsync();
        Upload? upload = null;
        socket.On("upload", e => upload = e.Args.GetValue<Upload>(0));

        await session.ReceiveAsync("51-[\"upload\",{\"name\":\"a.bin\",\"content\":{\"_placeholder\":true,\"num\":0}}]");
        await session.ReceiveBinaryAsync(9, 9);

        Assert.Equal("a.bin", upload!.Name);
        Assert.Equal(new byte[] { 9, 9 }, upload.Content);
    }

    [Fact]
    public async Task Server_emit_with_bytes_sends_binary_event_then_the_attachment()
    {
        var (session, socket) = await _server.ConnectAsync("/admin");

        socket.Emit("file", "name", new byte[] { 1, 2 }, new ReadOnlyMemory<byte>([3]));

        Assert.Equal(
            ["52-/admin,[\"file\",\"name\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]",
             "<binary 0102>", "<binary 03>"],
            session.Frames);
    }

    [Fact]
    public async Task Ack_with_bytes_is_a_binary_ack()
    {
        var (session, socket) = await _server.ConnectAsync();
        socket.On("get", e => e.Ack(new byte[] { 0xCA, 0xFE }));

        await session.ReceiveAsync("215[\"get\"]");

        Assert.Equal(["61-15[{\"_placeholder\":true,\"num\":0}]", "<binary CAFE>"], session.Frames);
    }

    [Fact]
    public async Task Binary_ack_from_the_client_completes_emit_with_ack_with_bytes()
    {
        var (session, socket) = await _server.ConnectAsync();
        var pending = socket.EmitWithAckAsync("send me bytes");

        await session.ReceiveAsync("61-0[{\"_placeholder\":true,\"num\":0}]");
        await session.ReceiveBinaryAsync(5, 6);

        var answer = await pending.DefaultTimeout();
        Assert.Equal(new byte[] { 5, 6 }, answer.GetBytes(0).ToArray());
    }

    [Fact]
    public async Task Relayed_event_keeps_its_attachments()
    {
        var (sender, socket) = await _server.ConnectAsync();
        var (receiver, _) = await _server.ConnectAsync();
        socket.On("relay", e => e.Socket.Broadcast.Emit("relayed", e.Args.ToEmitArguments()));

        await sender.ReceiveAsync("51-[\"relay\",\"x\",{\"_placeholder\":true,\"num\":0}]");
        await sender.ReceiveBinaryAsync(7);

        Assert.Equal(["51-[\"relayed\",\"x\",{\"_placeholder\":true,\"num\":0}]", "<binary 07>"], receiver.Frames);
        Assert.Empty(sender.Frames);
    }

    [Fact]
    public async Task Out_of_range_placeholder_closes_with_parse_error()
    {
        var (session, socket) = await _server.ConnectAsync();
        string? reason = null;
        socket.OnDisconnect(r => reason = r);

        await session.ReceiveAsync("51-[\"upload\",{\"_placeholder\":true,\"num\":1}]");
        await session.ReceiveBinaryAsync(1);

        Assert.False(session.IsOpen);
        Assert.Equal("parse error", reason);
    }

    [Fact]
    public async Task Unexpected_binary_message_closes_with_parse_error()
    {
        var (session, _) = await _server.ConnectAsync();

        await session.ReceiveBinaryAsync(1, 2);

        Assert.Equal(EngineIO.EngineCloseReason.ParseError, session.ClosedWith);
    }

    [Fact]
    public async Task Too_many_attachments_closes_with_parse_error()
    {
        var server = new TestServer(o => o.MaxAttachments = 1);
        var (session, _) = await server.ConnectAsync();

        await session.ReceiveAsync("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");

        Assert.Equal(EngineIO.EngineCloseReason.ParseError, session.ClosedWith);
    }

    public sealed record Upload(string Name, byte[] Content);
}
