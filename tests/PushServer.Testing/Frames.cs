using System.Net.WebSockets;
using System.Text;
using Xunit;

namespace PushServer.Testing;

/// <summary>Whole WebSocket messages as text, with a timeout.</summary>
public static class Frames
{
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TestTimeouts.Default);
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

    /// <summary>The next text frame, or <c>&lt;close&gt;</c>.</summary>
    public static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        return type == WebSocketMessageType.Close ? "<close>" : Encoding.UTF8.GetString(data);
    }

    /// <summary>Skips pings and other frames until one matches; <c>&lt;close&gt;</c> ends the wait too.</summary>
    public static async Task<string> ReceiveUntilAsync(WebSocket socket, Func<string, bool> match)
    {
        while (true)
        {
            var frame = await ReceiveTextAsync(socket);
            if (frame == "2")
            {
                await SendTextAsync(socket, "3");
                continue;
            }
            if (frame == "<close>" || match(frame))
            {
                return frame;
            }
        }
    }

    /// <summary>Reads until the server closes the connection (close frame or reset); answers pings meanwhile.</summary>
    public static async Task AssertClosedByServerAsync(WebSocket socket)
    {
        try
        {
            while (true)
            {
                var frame = await ReceiveTextAsync(socket);
                if (frame == "<close>")
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Reset instead of a close frame: closed all the same.
        }
    }

    public static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public static Task SendBinaryAsync(WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);
}
