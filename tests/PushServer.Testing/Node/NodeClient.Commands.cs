using System.Text.Json;

namespace PushServer.Testing;

public sealed partial class NodeClient
{
    /// <summary>The key that marks binary data in commands and events: <c>{"$binary":"&lt;base64&gt;"}</c>.</summary>
    public const string BinaryKey = "$binary";

    private int _nextEmitId;

    /// <summary>
    /// Starts <c>engineio-client.js</c> (engine.io-client 6.x for protocol 4, 3.x for protocol 3)
    /// and waits until it is ready; the client is connecting by then.
    /// </summary>
    public static Task<NodeClient> StartEngineIOAsync(EngineIOClientConfig config, CancellationToken cancellationToken = default) =>
        StartAsync("engineio-client.js", config, cancellationToken);

    /// <summary>
    /// Starts <c>socketio-client.js</c> (socket.io-client 4.x or 2.x) and waits until it is ready;
    /// the client is connecting by then unless <see cref="SocketIOClientConfig.AutoConnect"/> is false.
    /// </summary>
    public static Task<NodeClient> StartSocketIOAsync(SocketIOClientConfig config, CancellationToken cancellationToken = default) =>
        StartAsync("socketio-client.js", config, cancellationToken);

    /// <summary>Reads <c>{"$binary":"&lt;base64&gt;"}</c> (or <c>{"binary":…}</c> of an Engine.IO message) as bytes.</summary>
    /// <exception cref="FormatException">The element carries no binary.</exception>
    public static byte[] GetBinary(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object &&
            (element.TryGetProperty(BinaryKey, out var data) || element.TryGetProperty("binary", out data)) &&
            data.ValueKind == JsonValueKind.String)
        {
            return data.GetBytesFromBase64();
        }

        throw new FormatException($"Expected {{\"{BinaryKey}\":\"<base64>\"}}, got {element.GetRawText()}.");
    }

    /// <summary>Engine.IO: sends a text message.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "send", text }, cancellationToken);

    /// <summary>Engine.IO: sends a binary message (binary on the wire, not base64 text, where the transport allows).</summary>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "send", binary = Convert.ToBase64String(data.Span) }, cancellationToken);

    /// <summary>Engine.IO: closes the socket from the client side; a <c>close</c> event follows.</summary>
    public Task CloseAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "close" }, cancellationToken);

    /// <summary>Socket.IO: emits an event without an ack. <c>byte[]</c> arguments, at any depth, go as binary.</summary>
    public Task EmitAsync(string name, params object?[] args) =>
        SendAsync(new { op = "emit", name, args, withAck = false });

    /// <summary>
    /// Socket.IO: emits an event asking for an ack and waits for it.
    /// </summary>
    /// <returns>The ack's arguments, a JSON array (binary as <c>{"$binary":…}</c>).</returns>
    public async Task<JsonElement> EmitWithAckAsync(string name, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextEmitId);
        await SendAsync(new { op = "emit", name, args, withAck = true, id }).ConfigureAwait(false);
        var ack = await WaitForEventAsync("ack", e => e.GetProperty("id").GetInt32() == id).ConfigureAwait(false);
        return ack.GetProperty("args");
    }

    /// <summary>
    /// Socket.IO: emits an event asking for an ack with the client's own timeout
    /// (<c>socket.timeout(ms)</c> in 4.x, a timer in 2.x) and waits for the outcome.
    /// </summary>
    /// <returns>The <c>ack</c> event (<c>{"event":"ack","id":K,"args":[…]}</c>) or the <c>ackTimeout</c> event.</returns>
    public async Task<JsonElement> EmitWithAckTimeoutAsync(string name, TimeSpan ackTimeout, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextEmitId);
        var timeoutMs = (long)ackTimeout.TotalMilliseconds;
        await SendAsync(new { op = "emit", name, args, withAck = true, timeoutMs, id }).ConfigureAwait(false);
        return await WaitForAsync(
            e => (IsEvent(e, "ack") || IsEvent(e, "ackTimeout")) && e.GetProperty("id").GetInt32() == id,
            $"'ack' or 'ackTimeout' event for emit {id}",
            timeout: null,
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Socket.IO: answers an ack the server asked for (the <c>ackId</c> of an <c>event</c> event).</summary>
    public Task AckAsync(int ackId, params object?[] args) =>
        SendAsync(new { op = "ack", ackId, args });

    /// <summary>Socket.IO: disconnects from the client side (<c>io client disconnect</c>).</summary>
    public Task DisconnectAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "disconnect" }, cancellationToken);

    /// <summary>
    /// Socket.IO: closes the Engine.IO connection under the socket, as a network failure would; the socket sees
    /// <c>transport close</c> and keeps what it needs for connection state recovery.
    /// </summary>
    public Task DropTransportAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "dropTransport" }, cancellationToken);

    /// <summary>Socket.IO 4.x: sends the next connection (a reconnection, or <see cref="ConnectAsync"/>) to <paramref name="url"/>.</summary>
    public Task SetUrlAsync(string url, CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "setUrl", url }, cancellationToken);

    /// <summary>Socket.IO: connects again by hand after a disconnect, or first when auto-connect is off.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        SendAsync(new { op = "connect" }, cancellationToken);

    /// <summary>
    /// Socket.IO: waits for a received event with this name (<c>{"event":"event","name":…,"args":[…],"ackId"?:N}</c>).
    /// </summary>
    public Task<JsonElement> WaitForServerEventAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForEventAsync("event", e => e.GetProperty("name").ValueEquals(name), timeout, cancellationToken);
}
