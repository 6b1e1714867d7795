using System.Net.Sockets;
using PushServer.EngineIO.ConnectionLevelWebSockets;
using PushServer.EngineIO.Transports;

namespace PushServer.EngineIO.Tests.ConnectionLevelWebSockets;

/// <summary>
/// The stream under a WebSocket taken off the socket, over a real loopback connection: the transport's prebuilt data
/// frames and the WebSocket's own frames share it, whole and in order.
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
