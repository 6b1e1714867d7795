using System.Net.Sockets;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Tests.ConnectionLevelWebSockets;

/// <summary>
/// The stream under a WebSocket taken off the socket, over a real loopback connection: the transport's prebuilt data
/// frames and the WebSocket's own frames share it, whole and in order, and reads keep the WebSocket's idle wait (a
/// zero-byte read) and the end of the stream as the WebSocket expects them.
/// </summary>
public sealed class SocketStreamTests : IAsyncLifetime
{
    private Socket _server = null!;
    private Socket _client = null!;
    private SocketStream _stream = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        // Small buffers, so a large write is taken in parts. The receiving side's is set before connecting: shrunk
        // afterwards, the window already offered can stall the transfer.
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await _client.ConnectAsync(listener.LocalEndPoint!);
        _server = await listener.AcceptAsync();
        _server.Blocking = false;
        _server.SendBufferSize = 4096;
        _stream = new SocketStream(_server, _ => { });
    }

    public Task DisposeAsync()
    {
        _stream.Dispose();
        _server.Dispose();
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_write_the_socket_cannot_take_at_once_is_finished_before_the_next_one_starts()
    {
        // A client not reading yet: the first frame stays half written.
        var big = EnginePacket.Text(new string('a', 2_000_000));
        var bigWrite = _stream.WriteDataFrameAsync(big.WebSocketFrame(EngineProtocolVersion.V4));
        Assert.False(bigWrite.IsCompleted);

        // The WebSocket's own frame (a pong, from the reading side) and the next data frame come meanwhile.
        var pongWrite = _stream.WriteAsync(new byte[] { 0x8A, 0x00 });
        var nextWrite = _stream.WriteDataFrameAsync(EnginePacket.Text("next").WebSocketFrame(EngineProtocolVersion.V4));

        using var client = WebSocket.CreateFromStream(new NetworkStream(_client), new WebSocketCreationOptions { IsServer = false });
        var first = await Frames.ReceiveAsync(client, TimeSpan.FromSeconds(30));
        var second = await Frames.ReceiveAsync(client, TimeSpan.FromSeconds(30));
        await bigWrite.AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await pongWrite.AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await nextWrite.AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        // Interleaved bytes would have failed the client's frame parser; the pong is taken by the client itself.
        Assert.Equal(big.TextFrame.Length, first.Data.Length);
        Assert.Equal("4next", Encoding.UTF8.GetString(second.Data));
    }

    [Fact]
    public async Task A_data_frame_after_the_close_frame_is_not_written()
    {
        byte[] close = [0x88, 0x02, 0x03, 0xE8];
        await _stream.WriteAsync(close);
        await _stream.WriteDataFrameAsync(EnginePacket.Text("late").WebSocketFrame(EngineProtocolVersion.V4));

        Assert.Equal(close, await ReadUntilServerEndsAsync());
    }

    [Fact]
    public async Task A_data_frame_before_the_close_frame_is_written()
    {
        var frame = EnginePacket.Text("early").WebSocketFrame(EngineProtocolVersion.V4).ToArray();
        await _stream.WriteDataFrameAsync(frame);
        await _stream.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xE8 });

        Assert.Equal([.. frame, 0x88, 0x02, 0x03, 0xE8], await ReadUntilServerEndsAsync());
    }

    [Fact]
    public async Task A_zero_byte_read_with_nothing_there_waits_for_data()
    {
        var wait = _stream.ReadAsync(Memory<byte>.Empty);
        Assert.False(wait.IsCompleted);

        await _client.SendAsync("x"u8.ToArray(), SocketFlags.None);
        Assert.Equal(0, await wait.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        var buffer = new byte[8];
        Assert.Equal(1, await _stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal((byte)'x', buffer[0]);
    }

    [Fact]
    public async Task The_end_of_the_stream_after_the_last_bytes_still_reads_as_zero()
    {
        await _client.SendAsync("x"u8.ToArray(), SocketFlags.None);
        _client.Shutdown(SocketShutdown.Send);
        Assert.True(_server.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead));

        var buffer = new byte[8];
        Assert.Equal(0, await _stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal(1, await _stream.ReadAsync(buffer));
        Assert.Equal(0, await _stream.ReadAsync(Memory<byte>.Empty).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await _stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Through a real WebSocket reading the way the transport does (a zero-byte wait, then the message): messages
    /// sent in one burst, one of them larger than what one receive takes ahead, arrive whole and in order.
    /// </summary>
    [Fact]
    public async Task Messages_in_a_burst_reach_the_websocket_whole_and_in_order()
    {
        using var server = WebSocket.CreateFromStream(_stream, new WebSocketCreationOptions { IsServer = true });
        using var client = WebSocket.CreateFromStream(new NetworkStream(_client), new WebSocketCreationOptions { IsServer = false });
        string[] sent = ["one", new string('b', 10_000), "three", "", "five"];
        var sending = Task.Run(async () =>
        {
            foreach (var message in sent)
            {
                await client.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<string>();
        var buffer = new byte[16_384];
        while (received.Count < sent.Length)
        {
            if ((await server.ReceiveAsync(Memory<byte>.Empty, timeout.Token)).EndOfMessage)
            {
                // An empty message is whole at the zero-byte read already.
                received.Add("");
                continue;
            }
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await server.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            received.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(sent, received);
    }

    /// <summary>Ends the server's sending side and reads everything it wrote.</summary>
    private async Task<byte[]> ReadUntilServerEndsAsync()
    {
        _server.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        while ((read = await _client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return received.ToArray();
    }
}
