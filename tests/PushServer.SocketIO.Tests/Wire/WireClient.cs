using System.Net.WebSockets;

namespace PushServer.SocketIO.Tests.Wire;

/// <summary>A raw WebSocket speaking Engine.IO frames, so tests can assert literal packets.</summary>
public sealed class WireClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public static async Task<WireClient> ConnectAsync(Uri uri)
    {
        var client = new WireClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(uri, cts.Token);
        return client;
    }

    public WebSocketState State => _socket.State;

    /// <summary>The next frame: text as is, binary as <c>&lt;binary HEX&gt;</c>, a close as <c>&lt;close&gt;</c>.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var output = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return "<close>";
            }
            output.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text
                    ? Encoding.UTF8.GetString(output.ToArray())
                    : "<binary " + Convert.ToHexString(output.ToArray()) + ">";
            }
        }
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(params byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (WebSocketException)
            {
                // The server may already have gone; closing is best effort.
            }
        }
        _socket.Dispose();
    }
}
