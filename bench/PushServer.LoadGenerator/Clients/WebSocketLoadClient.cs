using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace PushServer.LoadGenerator.Clients;

/// <summary>
/// A raw Socket.IO client over WebSocket: its own TCP socket bound to a chosen loopback source address, the
/// HTTP upgrade done by hand, then Engine.IO v4 (answers pings, sends <c>40</c>) or v3 (pings on its own).
/// </summary>
internal sealed class WebSocketLoadClient : ILoadClient
{

    private readonly WebSocket _socket;
    private readonly int _eio;
    private readonly IClientEvents _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _readLoop = Task.CompletedTask;

    private WebSocketLoadClient(WebSocket socket, int eio, IClientEvents events)
    {
        _socket = socket;
        _eio = eio;
        _events = events;
    }

    public static async Task<WebSocketLoadClient> ConnectAsync(
        IPEndPoint server, IPAddress source, int eio, IClientEvents events, CancellationToken cancellationToken)
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            tcp.Bind(new IPEndPoint(source, 0));
            await tcp.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        var network = new NetworkStream(tcp, ownsSocket: true);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = Encoding.ASCII.GetBytes(
            $"GET /socket.io/?EIO={eio}&transport=websocket HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\n" +
            $"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n");
        await network.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        var leftover = await ReadUpgradeResponseAsync(network, cancellationToken).ConfigureAwait(false);
        var socket = WebSocket.CreateFromStream(new PrefixedStream(network, leftover), new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.Zero,
        });
        var client = new WebSocketLoadClient(socket, eio, events);
        client._readLoop = client.ReadLoopAsync();
        return client;
    }

    private static async Task<byte[]> ReadUpgradeResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection during the upgrade");
            }
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                if (!buffer.AsSpan(0, length).StartsWith("HTTP/1.1 101"u8))
                {
                    throw new IOException("upgrade refused: " + Encoding.ASCII.GetString(buffer, 0, Math.Min(length, 120)));
                }
                return buffer.AsSpan(end + 4, length - end - 4).ToArray();
            }
            if (length == buffer.Length)
            {
                throw new IOException("upgrade response too long");
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(2048);
        Exception? error = null;
        Task? v3Heartbeat = null;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var kind = WireText.Classify(buffer.AsSpan(0, length), out var payload, out var ackId);
                switch (kind)
                {
                    case FrameKind.Open:
                        if (_eio == 4)
                        {
                            await SendAsync(WireText.ConnectDefault, _stop.Token).ConfigureAwait(false);
                        }
                        else
                        {
                            v3Heartbeat = PingLoopAsync(WireText.ReadPingInterval(buffer.AsSpan(0, length)));
                        }
                        break;
                    case FrameKind.Ping:
                        await SendAsync(WireText.Pong, _stop.Token).ConfigureAwait(false);
                        break;
                    default:
                        _events.Deliver(kind, payload, ackId);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: control flow.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            error = ex;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _events.OnClosed(error);
        if (v3Heartbeat is not null)
        {
            await v3Heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>v3 clients ping the server every pingInterval; the server answers with a pong.</summary>
    private Task PingLoopAsync(TimeSpan interval) =>
        V3PingLoop.RunAsync(interval, SendAsync, _stop.Token);

    public ValueTask SendEchoAsync(long ackId, CancellationToken cancellationToken) =>
        SendAsync(WireText.EchoEmit(ackId), cancellationToken);

    private async ValueTask SendAsync(byte[] text, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(text, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch
        {
            // Already reported through OnClosed.
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
