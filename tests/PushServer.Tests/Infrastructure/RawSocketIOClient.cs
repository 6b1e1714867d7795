using System.Net.WebSockets;
using System.Threading.Channels;

namespace PushServer.Tests.Infrastructure;

/// <summary>
/// A minimal Socket.IO v5 client over a raw WebSocket, for tests that need connected sockets in-process: it connects
/// to <c>/</c>, answers pings, records every event, and answers acks with a fixed value when asked.
/// </summary>
public sealed class RawSocketIOClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;

    private RawSocketIOClient()
    {
    }

    /// <summary>The socket id the server gave.</summary>
    public string Id { get; private set; } = "";

    /// <summary>What the client answers to an event that asks for an ack; null sends an empty ack.</summary>
    public object? AckValue { get; set; }

    /// <summary>Whether acks the server asks for are answered.</summary>
    public bool AnswerAcks { get; set; } = true;

    /// <summary>Completes when the server closes the connection.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Connects to <c>/socket.io/</c> on <paramref name="server"/> and joins the namespace <c>/</c>.</summary>
    public static async Task<RawSocketIOClient> ConnectAsync(Uri server)
    {
        var client = new RawSocketIOClient();
        var uri = new Uri($"ws://{server.Authority}/socket.io/?EIO=4&transport=websocket");
        await client._socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        var open = await client.ReceiveTextAsync().DefaultTimeout();
        Assert.StartsWith("0{", open);
        await client.SendTextAsync("40");
        var connect = await client.ReceiveTextAsync().DefaultTimeout();
        Assert.StartsWith("40{", connect);
        client.Id = JsonDocument.Parse(connect![2..]).RootElement.GetProperty("sid").GetString()!;
        client._reader = client.ReadLoopAsync();
        return client;
    }

    /// <summary>Waits for the next event; returns <c>[name, ...args]</c>.</summary>
    public async Task<JsonElement> NextEventAsync(TimeSpan? timeout = null) =>
        await _events.Reader.ReadAsync().AsTask().DefaultTimeout(timeout);

    /// <summary>True when an event is already waiting.</summary>
    public bool TryPeekEvent(out JsonElement e) => _events.Reader.TryPeek(out e);

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var text = await ReceiveTextAsync();
                if (text is null)
                {
                    break;
                }
                if (text == "2")
                {
                    await SendTextAsync("3");
                }
                else if (text.StartsWith("42", StringComparison.Ordinal))
                {
                    var body = text[2..];
                    var bracket = body.IndexOf('[', StringComparison.Ordinal);
                    var ackId = body[..bracket];
                    var payload = JsonDocument.Parse(body[bracket..]).RootElement.Clone();
                    _events.Writer.TryWrite(payload);
                    if (ackId.Length > 0 && AnswerAcks)
                    {
                        var args = AckValue is null ? "[]" : "[" + JsonSerializer.Serialize(AckValue) + "]";
                        await SendTextAsync("43" + ackId + args);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended: that is what Closed reports.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private async Task<string?> ReceiveTextAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    private Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, _stop.Token);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        await _reader.ConfigureAwait(false);
        _stop.Dispose();
    }
}
