using System.Net.WebSockets;

namespace PushServer.Tests.EndToEnd;

/// <summary>
/// Values a client chooses (namespaces over the wire, push API fields) that hold a newline and what looks like a log line
/// after it: the executable's log, in text and in JSON, keeps each event on its one line, so nobody can write a
/// line of their own into it.
/// </summary>
public sealed class LogInjectionTests
{
    private const string Forged = "[00:00:00 ERR] FORGED";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Newlines_in_client_values_write_no_line_of_their_own(string format)
    {
        await using var server = await ServerProcess.StartAsync(["--log-format", format, "--log-level", "Debug"]);

        // A Socket.IO client: CONNECT to an unknown namespace (Debug), then an EVENT for a namespace it never
        // joined, which closes the connection (Information).
        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.SocketIOPort}/socket.io/?EIO=4&transport=websocket"), CancellationToken.None)
                .DefaultTimeout();
            Assert.StartsWith("0{", await ReceiveAsync(socket));
            await SendAsync(socket, "40/x\n" + Forged + " by a CONNECT,");
            Assert.StartsWith("44/x", await ReceiveAsync(socket));
            await SendAsync(socket, "42/x\r\n" + Forged + " by an EVENT,[\"a\"]");
            await server.WaitForLineAsync(l => l.Contains("by an EVENT", StringComparison.Ordinal));
        }

        // The push API: a namespace it does not serve is refused, and the refusal names it.
        using var push = new HttpClient { BaseAddress = server.PushUri, Timeout = TimeSpan.FromSeconds(30) };
        using var refused = await push.PostAsync("api/emit", new StringContent(
            JsonSerializer.Serialize(new { @event = "chat\n" + Forged + " event", @namespace = "/x\n" + Forged + " by the push API", data = 1 }),
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await server.WaitForLineAsync(l => l.Contains("by the push API", StringComparison.Ordinal));

        var lines = server.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith(Forged, StringComparison.Ordinal));
        if (format == "text")
        {
            Assert.Contains(lines, l => l.Contains("/x\\n" + Forged + " by a CONNECT", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("/x\\r\\n" + Forged + " by an EVENT", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("/x\\n" + Forged + " by the push API", StringComparison.Ordinal));
        }
        else
        {
            // Every line is one JSON event, and the values keep what the client sent.
            var values = lines.Select(l => JsonDocument.Parse(l).RootElement)
                .SelectMany(e => e.EnumerateObject())
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => p.Value.GetString()!)
                .ToList();
            Assert.Contains("/x\n" + Forged + " by a CONNECT", values);
            Assert.Contains("/x\r\n" + Forged + " by an EVENT", values);
            Assert.Contains(values, v => v.Contains("/x\n" + Forged + " by the push API", StringComparison.Ordinal));
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
