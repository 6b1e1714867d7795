namespace PushServer.EngineIO.Tests.Protocol;

/// <summary>
/// The WebSocket frames a packet carries prebuilt (<see cref="EnginePacket.WebSocketFrame"/>), read back by .NET's own
/// client-side WebSocket: every payload length class (7-bit, 16-bit, 64-bit) and both protocol generations.
/// </summary>
public class WebSocketFrameTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(124)] // 125 bytes with the type digit: the longest 7-bit length
    [InlineData(125)] // 126: the first 16-bit length
    [InlineData(65534)] // 65535: the longest 16-bit length
    [InlineData(65535)] // 65536: the first 64-bit length
    [InlineData(200_000)]
    public async Task A_text_packet_frame_is_one_text_message_holding_its_text_form(int length)
    {
        var text = new string('x', length);
        var packet = EnginePacket.Text(text);

        var (type, data) = await ReadOneMessageAsync(packet.WebSocketFrame(EngineProtocolVersion.V4));

        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("4" + text, Encoding.UTF8.GetString(data));
        Assert.Equal(packet.WebSocketFrame(EngineProtocolVersion.V3).ToArray(), packet.WebSocketFrame(EngineProtocolVersion.V4).ToArray());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(125)] // v4 payload 125 (7-bit), v3 payload 126 (16-bit): the two frames differ in header size
    [InlineData(70_000)]
    public async Task A_binary_packet_frame_carries_the_raw_data_for_v4_and_the_type_byte_first_for_v3(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var packet = EnginePacket.Binary(bytes);

        var (v4Type, v4Data) = await ReadOneMessageAsync(packet.WebSocketFrame(EngineProtocolVersion.V4));
        var (v3Type, v3Data) = await ReadOneMessageAsync(packet.WebSocketFrame(EngineProtocolVersion.V3));

        Assert.Equal(WebSocketMessageType.Binary, v4Type);
        Assert.Equal(bytes, v4Data);
        Assert.Equal(WebSocketMessageType.Binary, v3Type);
        Assert.Equal([4, .. bytes], v3Data);
    }

    [Fact]
    public void A_frame_is_built_once_and_shared()
    {
        var text = EnginePacket.Text("hello");
        var binary = EnginePacket.Binary([1, 2, 3]);

        Assert.True(text.WebSocketFrame(EngineProtocolVersion.V4).Span == text.WebSocketFrame(EngineProtocolVersion.V4).Span);
        Assert.True(binary.WebSocketFrame(EngineProtocolVersion.V4).Span == binary.WebSocketFrame(EngineProtocolVersion.V4).Span);
        Assert.True(binary.WebSocketFrame(EngineProtocolVersion.V3).Span == binary.WebSocketFrame(EngineProtocolVersion.V3).Span);
    }

    [Fact]
    public void The_text_form_and_the_queue_size_leave_the_frame_header_out()
    {
        var packet = EnginePacket.Text(new string('a', 300));

        Assert.Equal("4" + new string('a', 300), Encoding.UTF8.GetString(packet.TextFrame.Span));
        Assert.Equal(301, packet.Size);
        Assert.Equal(300, packet.Data.Length);
        Assert.Equal(301, packet.Utf16Length);
    }

    /// <summary>Reads <paramref name="frame"/> as a client would, followed by a close frame so the read ends.</summary>
    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReadOneMessageAsync(ReadOnlyMemory<byte> frame)
    {
        var wire = new MemoryStream();
        wire.Write(frame.Span);
        wire.Write([0x88, 0x02, 0x03, 0xE8]); // close, 1000
        wire.Position = 0;
        using var client = WebSocket.CreateFromStream(new ReadOnlyDuplex(wire), new WebSocketCreationOptions { IsServer = false });
        var message = await Frames.ReceiveAsync(client);
        var after = await Frames.ReceiveAsync(client);
        Assert.Equal(WebSocketMessageType.Close, after.Type);
        return message;
    }

    /// <summary>A stream reading from a buffer and swallowing writes (the client's answering close frame).</summary>
    private sealed class ReadOnlyDuplex(MemoryStream source) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => source.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) { }
    }
}
