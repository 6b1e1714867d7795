using System.Net.WebSockets;
using System.Text;

namespace PushServer.EngineIO.Tests;

/// <summary>Reads whole messages from a raw <see cref="ClientWebSocket"/>, with a timeout.</summary>
public static class RawWebSocket
{
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var output = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, []);
            }
            output.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, output.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    public static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static Task SendBinaryAsync(WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
}
